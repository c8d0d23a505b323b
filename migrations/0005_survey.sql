-- Survey rounds (摸排) and their per-unit entries, league organisations and formation
-- applications, as far as the survey workbook needs them.

create table survey (
    survey_id          bigint generated always as identity primary key,
    title              text not null check (btrim(title) <> ''),
    as_of              date not null,
    opens_on           date,
    closes_on          date,
    -- every eligible unit should have formed an organisation by this date
    formation_deadline date,
    locked             boolean not null default false,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    constraint survey_as_of_unique unique (as_of),
    constraint survey_dates_in_order check (closes_on is null or opens_on is null or opens_on <= closes_on)
);

create trigger survey_updated_at before update on survey
    for each row execute function set_updated_at();

-- A locked round never changes, whoever asks.
create function survey_entry_refuse_locked() returns trigger
language plpgsql as $$
declare
    round_id bigint := case when tg_op = 'DELETE' then old.survey_id else new.survey_id end;
begin
    if exists (select 1 from survey where survey_id = round_id and locked) then
        raise exception 'survey % is locked', round_id using errcode = '55000';
    end if;
    if tg_op = 'UPDATE' and old.survey_id <> new.survey_id
       and exists (select 1 from survey where survey_id = old.survey_id and locked) then
        raise exception 'survey % is locked', old.survey_id using errcode = '55000';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end;
$$;

create table survey_entry (
    survey_entry_id bigint generated always as identity primary key,
    survey_id       bigint not null references survey on delete cascade,
    unit_id         bigint not null references unit,
    -- the enterprise's operating status as of the round (null for departments, communities)
    status          text check (status in ('运行', '在建', '停产', '注销')),
    staff           integer check (staff >= 0),
    youth           integer not null check (youth >= 0),
    members         integer not null check (members >= 0),
    reported_by     bigint references account,
    reported_at     timestamptz not null default now(),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint survey_entry_unique unique (survey_id, unit_id),
    constraint survey_entry_members_within_youth check (members <= youth)
);

create index survey_entry_unit on survey_entry (unit_id);

create trigger survey_entry_updated_at before update on survey_entry
    for each row execute function set_updated_at();
create trigger survey_entry_locked before insert or update or delete on survey_entry
    for each row execute function survey_entry_refuse_locked();

create table organization (
    organization_id bigint generated always as identity primary key,
    parent_id       bigint references organization,
    kind            text not null check (kind in ('committee', '基层团委', '团总支', '团支部', '联合团支部')),
    name            text not null check (btrim(name) <> ''),
    -- null for the committee itself and for joint branches, which list their units separately
    unit_id         bigint references unit,
    established_on  date,
    approval_number text,
    approved_on     date,
    term_ends_on    date,
    secretary_name  text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint organization_root_has_no_parent check ((kind = 'committee') = (parent_id is null)),
    constraint organization_approval_number_unique unique (approval_number)
);

-- One organisation per unit; a unit in a joint branch has none of its own.
create unique index organization_one_per_unit on organization (unit_id) where unit_id is not null;
create unique index organization_one_committee on organization ((kind = 'committee')) where kind = 'committee';
create index organization_parent on organization (parent_id);

create trigger organization_updated_at before update on organization
    for each row execute function set_updated_at();

insert into organization (kind, name) values ('committee', '开发区团工委');

create table formation_application (
    formation_application_id bigint generated always as identity primary key,
    unit_id         bigint not null references unit,
    state           text not null check (state in ('draft', 'submitted', 'returned', 'resubmitted', 'approved', 'rejected')),
    proposed_name   text not null check (btrim(proposed_name) <> ''),
    proposed_kind   text not null check (proposed_kind in ('基层团委', '团总支', '团支部', '联合团支部')),
    member_count    integer not null check (member_count >= 0),
    youth_count     integer not null check (youth_count >= 0),
    proposed_secretary text,
    reasons         text,
    submitted_at    timestamptz,
    decided_at      timestamptz,
    approval_number text,
    organization_id bigint references organization,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

-- At most one application in progress per unit.
create unique index formation_application_one_open on formation_application (unit_id)
    where state in ('draft', 'submitted', 'returned', 'resubmitted');
create index formation_application_state on formation_application (state, submitted_at);

create trigger formation_application_updated_at before update on formation_application
    for each row execute function set_updated_at();

create table formation_application_event (
    formation_application_event_id bigint generated always as identity primary key,
    formation_application_id bigint not null references formation_application on delete cascade,
    from_state      text,
    to_state        text not null,
    actor_account_id bigint references account,
    actor_name      text not null default '',
    note            text,
    occurred_at     timestamptz not null default now()
);

create index formation_application_event_application
    on formation_application_event (formation_application_id, occurred_at);
