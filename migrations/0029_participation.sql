-- Who took part in an activity (issue 16): a member from the roster, or a young person who
-- is not a member (name, mobile number, unit as typed), with their role and the volunteer
-- hours confirmed for them. Hours are service time, kept in tenths of an hour (one decimal,
-- DESIGN.md §3), never negative; the service refuses more than the activity's span. A
-- non-member's phone is personal information: encrypted, shown masked, matched by its
-- keyed blind index like the roster's (migration 0008).

create table participation (
    participation_id bigint generated always as identity primary key,
    activity_id      bigint not null references activity on delete cascade,
    member_id        bigint references member,
    person_name      text check (person_name is null or (btrim(person_name) <> '' and char_length(person_name) <= 40)),
    phone_cipher     bytea,
    phone_version    integer,
    phone_masked     text,
    phone_index      bytea,
    person_unit      text not null default '' check (char_length(person_unit) <= 100),
    role             text not null check (role in ('organizer', 'volunteer', 'contestant', 'audience', 'judge', 'other')),
    hours_tenths     integer check (hours_tenths >= 0),
    created_at       timestamptz not null default now(),
    constraint participation_who check ((member_id is null) <> (person_name is null)),
    constraint participation_phone_complete check ((phone_cipher is null) = (phone_version is null)
                                                   and (phone_cipher is null) = (phone_index is null))
);

create unique index participation_member_once on participation (activity_id, member_id) where member_id is not null;
create unique index participation_person_once on participation (activity_id, phone_index) where phone_index is not null;
create index participation_activity on participation (activity_id, participation_id);
create index participation_member on participation (member_id) where member_id is not null;
create index participation_phone on participation (phone_index) where phone_index is not null;
