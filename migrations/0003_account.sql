-- Accounts, their roles with scopes, server-side sessions and sign-in attempts.

create table account (
    account_id     bigint generated always as identity primary key,
    username       text not null check (username ~ '^[a-z0-9][a-z0-9._-]{1,31}$'),
    display_name   text not null default '',
    password_hash  text not null,
    disabled       boolean not null default false,
    -- consecutive failed sign-ins; reset on success and when a lock is set
    failed_logins  integer not null default 0 check (failed_logins >= 0),
    locked_until   timestamptz,
    password_changed_at timestamptz not null default now(),
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    constraint account_username_unique unique (username)
);

create trigger account_updated_at before update on account
    for each row execute function set_updated_at();

-- A person may hold several roles; a secretary's role is scoped to one unit.
create table account_role (
    account_role_id bigint generated always as identity primary key,
    account_id      bigint not null references account on delete cascade,
    role            text not null check (role in ('committee', 'leader', 'secretary', 'admin')),
    unit_id         bigint references unit,
    constraint account_role_scope check ((role = 'secretary') = (unit_id is not null))
);

create unique index account_role_unique on account_role (account_id, role, coalesce(unit_id, 0));
create index account_role_unit on account_role (unit_id) where unit_id is not null;

-- The cookie carries a random token; only its SHA-256 is stored, so a leaked table
-- does not hand out live sessions.
create table session (
    session_hash   text primary key,
    account_id     bigint not null references account on delete cascade,
    csrf_token     text not null,
    created_at     timestamptz not null,
    last_seen_at   timestamptz not null,
    address        text not null default '',
    user_agent     text not null default ''
);

create index session_account on session (account_id);
create index session_last_seen on session (last_seen_at);

-- Every sign-in attempt, for the per-address rate limit.
create table login_attempt (
    login_attempt_id bigint generated always as identity primary key,
    address          text not null,
    attempted_at     timestamptz not null,
    succeeded        boolean not null
);

create index login_attempt_address_time on login_attempt (address, attempted_at);
