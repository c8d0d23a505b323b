-- The yearly assessment of part-time league cadres (团干部考核, issue 17 item 3).
--
-- Who is a cadre: a person who signs in as committee staff (团工委工作人员) or as a unit's
-- league secretary or contact (团支部书记/单位联络员) — the committee's and its
-- organisations' part-time cadres. The assessment is therefore kept per account and year,
-- so that the cadre reads their own result when signed in; the name and post are copied in
-- as of the assessment, so that a later change of the account does not rewrite history.
--
-- A year's components and weights are stored with the year (`assessment_year`) when it is
-- first set or first used, so that an old year's results keep the weights they were
-- computed with; they can no longer change once a result of the year exists. Writes of a
-- year lock its `assessment_year` row, so that the 优秀 cap is checked against every
-- result of the year, one writer at a time.

create function int_array_sum(values_ integer[]) returns bigint
    language sql immutable parallel safe
    as $$ select coalesce(sum(v), 0) from unnest(values_) v $$;

create table assessment_year (
    year               integer primary key check (year between 2000 and 2100),
    components         text[] not null check (cardinality(components) between 1 and 8),
    weights            integer[] not null check (cardinality(weights) = cardinality(components)
                                                 and 0 < all(weights) and int_array_sum(weights) = 100),
    -- the most 优秀 results, as a percentage of the year's results (rounded down)
    excellent_percent  integer not null default 20 check (excellent_percent between 0 and 100),
    set_by             bigint references account,
    set_at             timestamptz not null
);

create table assessment (
    assessment_id   bigint generated always as identity primary key,
    year            integer not null references assessment_year,
    account_id      bigint not null references account,
    cadre_name      text not null check (btrim(cadre_name) <> ''),
    cadre_post      text not null,
    -- one score per component of the year, in tenths (0–1000)
    scores_tenths   integer[] not null check (0 <= all(scores_tenths) and 1000 >= all(scores_tenths)),
    score_tenths    integer not null check (score_tenths between 0 and 1000),
    computed_grade  text not null check (computed_grade in ('优秀', '合格', '基本合格', '不合格')),
    grade           text not null check (grade in ('优秀', '合格', '基本合格', '不合格')),
    -- why the committee set a grade other than the computed one (it may only lower it)
    grade_reason    text not null default '' check (char_length(grade_reason) <= 200),
    assessed_by     bigint references account,
    assessed_at     timestamptz not null,
    constraint assessment_once unique (year, account_id),
    constraint assessment_grade_explained check (grade = computed_grade or btrim(grade_reason) <> '')
);

create index assessment_account on assessment (account_id, year);
