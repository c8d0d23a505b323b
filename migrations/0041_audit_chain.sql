-- The audit log as a hash chain (issue 18 item 3): every event carries the SHA-256 of its
-- own content and of the event before it, so that changing, removing or inserting a row
-- anywhere breaks the chain at that point and `tuanjian audit verify` finds it.
--
-- The chain is built inside the database by a trigger that runs as the owner (security
-- definer): it takes a transaction-scoped advisory lock, gives the event its id from the
-- sequence only while holding that lock, and reads and moves the chain head in a one-row
-- table the application's role cannot touch. The lock is held until commit, so one
-- transaction at a time writes audit events: commit order, id order and chain order agree,
-- and a transaction that rolls back leaves the head where it was.
--
-- The canonical content of an event (what its hash covers) is, in this order, each of
-- id, occurred_at (microseconds since 1970-01-01 UTC), account_id, username, action,
-- entity, entity_id, before (jsonb text), after (jsonb text), address
-- written as `<byte length>:<UTF-8 text>` or `-` when null, joined with `|`; the hash is
-- sha256(prev_hash || canonical). The first event's prev_hash is 32 zero bytes, or the
-- last hash of the newest archive once older events have been archived.

alter table audit_event
    add column prev_hash bytea,
    add column hash bytea;

create function audit_field(value text) returns text
language sql immutable parallel safe as $$
    select case when value is null then '-' else octet_length(value)::text || ':' || value end
$$;

create function audit_event_canonical(e audit_event) returns bytea
language sql stable parallel safe as $$
    select convert_to(concat_ws('|',
        audit_field(e.audit_event_id::text),
        audit_field((extract(epoch from e.occurred_at) * 1000000)::bigint::text),
        audit_field(e.account_id::text),
        audit_field(e.username),
        audit_field(e.action),
        audit_field(e.entity),
        audit_field(e.entity_id),
        audit_field(e.before::text),
        audit_field(e.after::text),
        audit_field(e.address)), 'UTF8')
$$;

-- The head of the chain: the last event's id and hash. Only the owner (through the
-- trigger below) writes it; the application's role has no right on it at all.
create table audit_chain_head (
    only_row      boolean primary key default true check (only_row),
    last_event_id bigint not null,
    last_hash     bytea not null check (octet_length(last_hash) = 32)
);

-- Archives written by `tuanjian audit archive`: the events moved to a file and removed
-- from the table. Verify starts the table's chain from the newest archive's last hash.
create table audit_archive (
    audit_archive_id bigint generated always as identity primary key,
    archived_at      timestamptz not null default now(),
    before_date      date not null,
    first_event_id   bigint not null,
    last_event_id    bigint not null,
    event_count      bigint not null check (event_count > 0),
    first_prev_hash  bytea not null check (octet_length(first_prev_hash) = 32),
    last_hash        bytea not null check (octet_length(last_hash) = 32),
    file_name        text not null,
    file_sha256      bytea not null check (octet_length(file_sha256) = 32)
);

-- Hash the events already there, in id order.
do $$
declare
    e audit_event;
    prev bytea := '\x0000000000000000000000000000000000000000000000000000000000000000';
    last_id bigint := 0;
begin
    alter table audit_event disable trigger audit_event_no_update;
    for e in select * from audit_event order by audit_event_id loop
        update audit_event
           set prev_hash = prev,
               hash = sha256(prev || audit_event_canonical(e))
         where audit_event_id = e.audit_event_id
        returning hash into prev;
        last_id := e.audit_event_id;
    end loop;
    alter table audit_event enable trigger audit_event_no_update;
    insert into audit_chain_head (last_event_id, last_hash) values (last_id, prev);
end;
$$;

alter table audit_event
    alter column prev_hash set not null,
    alter column hash set not null;

create function audit_event_chain() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
declare
    head audit_chain_head;
begin
    -- one writer of the chain at a time, until its transaction ends
    perform pg_advisory_xact_lock(hashtext('tuanjian.audit_event.chain'));
    select * into strict head from audit_chain_head for update;
    -- the id is drawn under the lock, so ids grow in commit order
    new.audit_event_id := nextval(pg_get_serial_sequence('audit_event', 'audit_event_id'));
    new.prev_hash := head.last_hash;
    new.hash := sha256(new.prev_hash || audit_event_canonical(new));
    update audit_chain_head set last_event_id = new.audit_event_id, last_hash = new.hash;
    return new;
end;
$$;

revoke all on function audit_event_chain() from public;

create trigger audit_event_chain before insert on audit_event
    for each row execute function audit_event_chain();
