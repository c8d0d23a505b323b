-- Check-in by phone (issue 16 item 3): an organiser opens a check-in for an activity and
-- shows its link as a QR code; a participant with no account checks in and later out with
-- name and mobile number; the organiser confirms the hours proposed from the times.

-- One opened link. The token is 256 random bits: only its SHA-256 is looked up (a stolen
-- copy of the table opens nothing), and it is kept encrypted with the application's keys
-- so that the organiser's page can show the same QR code again while it is open.
create table checkin (
    checkin_id    bigint generated always as identity primary key,
    activity_id   bigint not null references activity on delete cascade,
    token_hash    text not null unique,
    token_cipher  bytea not null,
    token_version integer not null,
    opened_by     bigint references account,
    opened_at     timestamptz not null,
    closed_at     timestamptz,
    constraint checkin_closed_after_opened check (closed_at is null or closed_at >= opened_at)
);

-- At most one open link per activity.
create unique index checkin_open_once on checkin (activity_id) where closed_at is null;

-- One person's check-in at an activity: who (the participation the check-in made or found,
-- the phone's blind index and the name as typed, so a second visit with the same name and
-- number checks out), when,
-- and from which client address each step came. Confirmed once the organiser took the
-- proposed hours into participation.hours_tenths.
create table checkin_entry (
    checkin_entry_id bigint generated always as identity primary key,
    checkin_id       bigint not null references checkin on delete cascade,
    activity_id      bigint not null references activity on delete cascade,
    participation_id bigint not null references participation on delete cascade,
    phone_index      bytea not null,
    typed_name       text not null check (btrim(typed_name) <> '' and char_length(typed_name) <= 40),
    checked_in_at    timestamptz not null,
    in_address       text not null check (char_length(in_address) <= 64),
    checked_out_at   timestamptz,
    out_address      text check (char_length(out_address) <= 64),
    confirmed_at     timestamptz,
    confirmed_by     bigint references account,
    constraint checkin_entry_out_after_in check (checked_out_at is null or checked_out_at >= checked_in_at),
    constraint checkin_entry_out_complete check ((checked_out_at is null) = (out_address is null)),
    constraint checkin_entry_confirmed_after_out check (confirmed_at is null or checked_out_at is not null)
);

create unique index checkin_entry_once on checkin_entry (activity_id, phone_index);
create index checkin_entry_activity on checkin_entry (activity_id, checkin_entry_id);
create index checkin_entry_participation on checkin_entry (participation_id);

-- Every check-in form sent, for the rate limits per link and per client address (kept in
-- the database like login_attempt, so several instances and restarts share them); purged
-- by the hourly pass.
create table checkin_attempt (
    checkin_id   bigint not null references checkin on delete cascade,
    address      text not null,
    attempted_at timestamptz not null
);

create index checkin_attempt_link on checkin_attempt (checkin_id, attempted_at);
create index checkin_attempt_address on checkin_attempt (address, attempted_at);
create index checkin_attempt_age on checkin_attempt (attempted_at);
