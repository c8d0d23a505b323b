-- Units can be closed (注销); a round's entries know whether the unit has reported in
-- this round; in-app notifications; uploaded workbooks awaiting their preview's commit.

alter table unit add column closed_on date;

-- Carried over from the previous round, an entry is not yet reported for this one.
alter table survey_entry alter column reported_at drop not null;
alter table survey_entry alter column reported_at drop default;

create index survey_entry_survey on survey_entry (survey_id, unit_id);
create index unit_kind_name on unit (kind, name);

create table notification (
    notification_id   bigint generated always as identity primary key,
    account_id        bigint not null references account on delete cascade,
    kind              text not null,
    title             text not null,
    body              text not null default '',
    link              text,
    sender_account_id bigint references account,
    created_at        timestamptz not null,
    read_at           timestamptz
);

create index notification_inbox on notification (account_id, notification_id desc);
create index notification_unread on notification (account_id) where read_at is null;

-- Reminders sent for a round, per unit: who chased whom and when.
create table survey_reminder (
    survey_reminder_id bigint generated always as identity primary key,
    survey_id          bigint not null references survey on delete cascade,
    unit_id            bigint not null references unit,
    sender_account_id  bigint references account,
    sent_at            timestamptz not null
);

create index survey_reminder_round on survey_reminder (survey_id, unit_id);

-- An uploaded workbook is kept here between the preview and the commit, so that any
-- server instance can commit it; old uploads are removed after a day.
create table upload (
    upload_id     uuid primary key,
    account_id    bigint not null references account on delete cascade,
    file_name     text not null,
    content       bytea not null,
    sha256        text not null,
    created_at    timestamptz not null,
    committed_at  timestamptz
);

create index upload_created on upload (created_at);

-- A locked round itself cannot be changed, unlocked or removed.
create function survey_refuse_locked_round() returns trigger
language plpgsql as $$
begin
    if old.locked then
        raise exception 'survey % is locked', old.survey_id using errcode = '55000';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end;
$$;

create trigger survey_locked before update or delete on survey
    for each row execute function survey_refuse_locked_round();
