-- An organisation's term end is derived, never written: its last election, or else its
-- founding (established, then approved), plus its term of 2 or 3 years (团支部工作条例).
-- As a generated column every way an organisation arrives (the survey import, 批复, the
-- generator, the term form) gets the same end, and the rows already here get it now.

alter table organization drop column term_ends_on;
alter table organization
    add column term_ends_on date generated always as
        ((coalesce(elected_on, established_on, approved_on) + make_interval(years => term_years))::date) stored;

-- dropped with the old column
create index organization_term_ends on organization (term_ends_on) where term_ends_on is not null;

-- 换届 notices to an organisation's unit secretaries, 90 and 30 days before its term ends:
-- one row per organisation, term and threshold, so a notice goes out once however often
-- the job runs, and the next term (a new end) gets its own.
create table organization_term_notice (
    organization_id bigint not null references organization on delete cascade,
    term_ends_on    date not null,
    days_before     integer not null check (days_before in (90, 30)),
    sent_at         timestamptz not null,
    primary key (organization_id, term_ends_on, days_before)
);
