-- Volunteer teams (志愿服务队, issue 16 item 4): the seed's plan asks for teams in seven
-- domains, each hosted by an enterprise, department or community, with a leader and members
-- (roster members, or registered youth known by name and mobile number, the phone encrypted
-- with its keyed blind index as in `participation`). An activity may be carried out by a
-- team; the team's hours are the confirmed hours of its activities.

create table volunteer_team (
    volunteer_team_id bigint generated always as identity primary key,
    name              text not null check (btrim(name) <> '' and char_length(name) <= 60),
    domain            text not null check (domain in ('stability', 'safety', 'environment', 'poverty',
                                                      'community', 'innovation', 'afforestation', 'other')),
    unit_id           bigint not null references unit,
    leader_name       text not null check (btrim(leader_name) <> '' and char_length(leader_name) <= 40),
    description       text not null default '' check (char_length(description) <= 2000),
    founded_on        date not null,
    created_by        bigint references account,
    created_at        timestamptz not null default now(),
    constraint volunteer_team_name_unique unique (name)
);

create index volunteer_team_unit on volunteer_team (unit_id);
create index volunteer_team_domain on volunteer_team (domain, name);

create table volunteer_team_member (
    volunteer_team_member_id bigint generated always as identity primary key,
    volunteer_team_id bigint not null references volunteer_team on delete cascade,
    member_id         bigint references member,
    person_name       text check (person_name is null or (btrim(person_name) <> '' and char_length(person_name) <= 40)),
    phone_cipher      bytea,
    phone_version     integer,
    phone_masked      text,
    phone_index       bytea,
    joined_on         date not null,
    constraint volunteer_team_member_who check ((member_id is null) <> (person_name is null)),
    constraint volunteer_team_member_phone check ((person_name is null) = (phone_cipher is null)
                                                  and (phone_cipher is null) = (phone_version is null)
                                                  and (phone_cipher is null) = (phone_index is null))
);

create unique index volunteer_team_member_once on volunteer_team_member (volunteer_team_id, member_id) where member_id is not null;
create unique index volunteer_team_person_once on volunteer_team_member (volunteer_team_id, phone_index) where phone_index is not null;

alter table activity add column volunteer_team_id bigint references volunteer_team;
create index activity_team on activity (volunteer_team_id, starts_at) where volunteer_team_id is not null;
