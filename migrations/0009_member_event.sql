-- A member's history: leaving on age (超龄离团), transfers and other changes of state.

create table member_event (
    member_event_id  bigint generated always as identity primary key,
    member_id        bigint not null references member on delete cascade,
    from_state       text,
    to_state         text not null,
    actor_account_id bigint references account,
    actor_name       text not null default '',
    note             text,
    occurred_at      timestamptz not null
);

create index member_event_member on member_event (member_id, occurred_at);
create index member_birth_active on member (birth_date) where state = 'active';
