-- Contests (issue 16 item 6): the entries of an activity of kind 'contest', by a unit or by
-- a person (a participant of the activity, or a name typed), each with its title (the
-- video's or the song's name); the judges' scores of an entry, or a rank typed directly;
-- the award an entry received (at most one); and the units given 优秀组织奖, which goes to
-- a unit for organising its people rather than to an entry. How a contest turns scores
-- into a result is its method (domain::contest::Method), kept one row per contest.

create table contest (
    activity_id bigint primary key references activity on delete cascade,
    method      text not null default 'trimmed_mean' check (method in ('mean', 'trimmed_mean', 'rank'))
);

create table contest_entry (
    contest_entry_id bigint generated always as identity primary key,
    activity_id      bigint not null references activity on delete cascade,
    -- The entering unit, or the unit of the entering person (may be unknown).
    unit_id          bigint references unit,
    -- The entering person's name, null for an entry by a unit.
    person_name      text check (person_name is null or (btrim(person_name) <> '' and char_length(person_name) <= 40)),
    participation_id bigint references participation on delete set null,
    title            text not null check (btrim(title) <> '' and char_length(title) <= 100),
    -- A rank typed directly, used when the contest's method is 'rank'.
    typed_rank       integer check (typed_rank between 1 and 999),
    award            text check (award in ('first', 'second', 'third', 'excellent')),
    created_at       timestamptz not null default now(),
    constraint contest_entry_who check (person_name is not null or unit_id is not null),
    constraint contest_entry_participant_is_person check (participation_id is null or person_name is not null)
);

create index contest_entry_activity on contest_entry (activity_id, contest_entry_id);
-- A unit enters a contest once; a person may enter with several works.
create unique index contest_entry_unit_once on contest_entry (activity_id, unit_id) where person_name is null;

-- One judge's score of an entry, in tenths of a point (0–100 to one decimal).
create table contest_score (
    contest_entry_id bigint not null references contest_entry on delete cascade,
    judge            text not null check (btrim(judge) <> '' and char_length(judge) <= 40),
    score_tenths     integer not null check (score_tenths between 0 and 1000),
    -- The order judges were first scored in, which the results keep (评委一, 评委二 …).
    position         bigint generated always as identity,
    primary key (contest_entry_id, judge)
);

create table contest_organizing_award (
    activity_id bigint not null references activity on delete cascade,
    unit_id     bigint not null references unit,
    primary key (activity_id, unit_id)
);
