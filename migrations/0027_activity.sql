-- Activities (issue 16): what the committee and the organisations do, recorded as they do
-- it, so that the dashboard and the yearly report count them. The organiser is an
-- organisation (the committee is the root organisation); co-organising and participating
-- units are listed beside it. Times are instants; pages show them in the zone's time.

create table activity (
    activity_id     bigint generated always as identity primary key,
    kind            text not null check (kind in ('volunteer', 'contest', 'culture', 'study', 'meeting', 'other')),
    title           text not null check (btrim(title) <> '' and char_length(title) <= 100),
    starts_at       timestamptz not null,
    ends_at         timestamptz not null,
    place           text not null default '' check (char_length(place) <= 100),
    organization_id bigint not null references organization,
    series          text not null default '' check (char_length(series) <= 50),
    edition         integer check (edition between 1 and 999),
    description     text not null default '' check (char_length(description) <= 5000),
    state           text not null default 'planned' check (state in ('planned', 'ongoing', 'done', 'cancelled')),
    created_by      bigint references account,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint activity_span check (ends_at >= starts_at and ends_at - starts_at <= interval '366 days'),
    constraint activity_edition_in_series check (edition is null or series <> '')
);

create trigger activity_updated_at before update on activity
    for each row execute function set_updated_at();

-- The list and the calendar walk activities by time; an organisation's page and a
-- secretary's scope by organiser.
create index activity_time on activity (starts_at desc, activity_id desc);
create index activity_organizer on activity (organization_id, starts_at desc, activity_id desc);
create index activity_series on activity (series, starts_at) where series <> '';

create table activity_unit (
    activity_id bigint not null references activity on delete cascade,
    unit_id     bigint not null references unit,
    role        text not null check (role in ('co_organizer', 'participant')),
    primary key (activity_id, unit_id)
);

create index activity_unit_unit on activity_unit (unit_id, activity_id);
