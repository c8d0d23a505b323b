-- The audit log: insert only. A trigger refuses UPDATE, DELETE and TRUNCATE for every
-- role the application could connect as, so the log cannot be rewritten through the app.

create table audit_event (
    audit_event_id bigint generated always as identity primary key,
    occurred_at    timestamptz not null,
    account_id     bigint references account,
    username       text not null default '',
    action         text not null,
    entity         text not null default '',
    entity_id      text not null default '',
    before         jsonb,
    after          jsonb,
    address        text not null default ''
);

create index audit_event_time on audit_event (occurred_at desc, audit_event_id desc);
create index audit_event_action on audit_event (action, audit_event_id desc);
create index audit_event_account on audit_event (account_id, audit_event_id desc);

create function audit_event_is_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'audit_event is append-only' using errcode = '42501';
end;
$$;

create trigger audit_event_no_update before update or delete on audit_event
    for each row execute function audit_event_is_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_is_append_only();

revoke update, delete, truncate on audit_event from public;
