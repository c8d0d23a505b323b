-- The branch-formation campaign: joint branches over several units, cadres and terms of
-- organisations, the application's decision fields and attachments, and reminders.

-- A 联合团支部 spans several units (each unit in at most one organisation).
create table organization_unit (
    organization_id bigint not null references organization on delete cascade,
    unit_id         bigint not null references unit,
    primary key (organization_id, unit_id),
    constraint organization_unit_once unique (unit_id)
);

create table organization_cadre (
    organization_cadre_id bigint generated always as identity primary key,
    organization_id bigint not null references organization on delete cascade,
    name            text not null check (btrim(name) <> ''),
    post            text not null check (post in ('书记', '副书记', '组织委员', '宣传委员', '委员'))
);

create index organization_cadre_organization on organization_cadre (organization_id);

alter table organization
    add column term_years integer not null default 3 check (term_years in (2, 3)),
    add column elected_on date;

create index organization_term_ends on organization (term_ends_on) where term_ends_on is not null;

alter table formation_application
    add column decision_note text,
    add column decided_by bigint references account,
    add column approved_on date,
    add column created_by bigint references account;

create unique index formation_application_approval_number
    on formation_application (approval_number) where approval_number is not null;

-- Attachments live in the database, outside any web root, and are served only through
-- the application's scoped route.
create table application_attachment (
    application_attachment_id bigint generated always as identity primary key,
    formation_application_id bigint not null references formation_application on delete cascade,
    file_name     text not null,
    content_type  text not null,
    content       bytea not null,
    size_bytes    integer not null check (size_bytes > 0 and size_bytes <= 5242880),
    uploaded_by   bigint references account,
    uploaded_at   timestamptz not null
);

create index application_attachment_application on application_attachment (formation_application_id);

-- 督促: who chased which eligible unit, and when.
create table formation_reminder (
    formation_reminder_id bigint generated always as identity primary key,
    unit_id           bigint not null references unit,
    sender_account_id bigint references account,
    sent_at           timestamptz not null
);

create index formation_reminder_unit on formation_reminder (unit_id, sent_at desc);

-- One deadline notice per account and deadline.
alter table notification add column dedupe_key text;
create unique index notification_dedupe on notification (account_id, dedupe_key) where dedupe_key is not null;
