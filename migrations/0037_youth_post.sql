-- 青年文明号 (youth civilization post, issue 17 item 2): a youth collective of a unit (a
-- department's 科室, an enterprise's 工段 or 班组, a community's team) registers its creation
-- (创建备案) and works through 创建中 → 推荐 → 公示 → 认定 (a level and the 文号 of the
-- recognition), then is reviewed (复核) every two years; a warning (警告) or revocation (撤销)
-- is recorded with its reason. `award` holds where a post stands now; `award_step` every
-- step, with its date, actor and note, and is what the yearly report counts by date.

create table award (
    award_id        bigint generated always as identity primary key,
    name            text not null check (btrim(name) <> '' and char_length(name) <= 60),
    collective      text not null check (collective in ('office', 'section', 'crew', 'team')),
    unit_id         bigint not null references unit,
    leader_name     text not null check (btrim(leader_name) <> '' and char_length(leader_name) <= 40),
    description     text not null default '' check (char_length(description) <= 2000),
    state           text not null default 'registered'
                    check (state in ('registered', 'creating', 'recommended', 'publicized',
                                     'recognized', 'warned', 'revoked')),
    registered_on   date not null,
    level           text check (level in ('zone', 'city', 'province', 'national')),
    document_number text check (document_number is null or (btrim(document_number) <> '' and char_length(document_number) <= 50)),
    recognized_on   date,
    reviewed_on     date,
    review_due_on   date,
    created_by      bigint references account,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    -- A post that holds the title carries what recognised it and when it is next reviewed.
    constraint award_recognition check (
        state not in ('recognized', 'warned')
        or (level is not null and document_number is not null and recognized_on is not null
            and review_due_on is not null))
);

create trigger award_updated_at before update on award
    for each row execute function set_updated_at();

-- One live record per collective of a unit; a revoked one may start again.
create unique index award_collective_unique on award (unit_id, name) where state <> 'revoked';
create index award_name on award (name, award_id);
create index award_state on award (state, name, award_id);
create index award_review_due on award (review_due_on) where state in ('recognized', 'warned');

create table award_step (
    award_step_id   bigint generated always as identity primary key,
    award_id        bigint not null references award on delete cascade,
    step            text not null check (step in ('register', 'start', 'recommend', 'publicize',
                                                  'recognize', 'review', 'warn', 'revoke', 'return')),
    from_state      text,
    to_state        text not null,
    -- The day the step happened, as the person records it (the zone's date).
    dated_on        date not null,
    note            text not null default '' check (char_length(note) <= 2000),
    level           text check (level in ('zone', 'city', 'province', 'national')),
    document_number text,
    account_id      bigint references account,
    actor_name      text not null,
    recorded_at     timestamptz not null default now()
);

create index award_step_award on award_step (award_id, award_step_id);
create index award_step_dated on award_step (step, dated_on);
