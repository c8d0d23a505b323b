-- The yearly evaluation of members (团员教育评议) and the registration that follows it
-- (团籍注册): grades 优秀 / 合格 / 基本合格 / 不合格, 优秀 at most 30 % of the
-- organisation's members (checked when grades are saved, under a lock on the
-- organisation); only 基本合格 or better are registered for the year.

create table member_evaluation (
    member_evaluation_id  bigint generated always as identity primary key,
    member_id             bigint not null references member on delete cascade,
    year                  integer not null check (year between 2000 and 2100),
    organization_id       bigint not null references organization,
    grade                 text not null check (grade in ('优秀', '合格', '基本合格', '不合格')),
    evaluated_by          bigint references account,
    evaluated_at          timestamptz not null,
    registered_at         timestamptz,
    constraint member_evaluation_once unique (member_id, year),
    constraint member_evaluation_registrable check (registered_at is null or grade <> '不合格')
);

create index member_evaluation_organization on member_evaluation (organization_id, year);
