-- Units of the zone: departments, communities and enterprises.
-- Accounts of secretaries are scoped to a unit, so the table comes before accounts.

create table unit (
    unit_id        bigint generated always as identity primary key,
    kind           text not null check (kind in ('department', 'community', 'enterprise')),
    name           text not null check (btrim(name) <> ''),
    credit_code    text check (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
    -- only enterprises have an operating status; departments and communities leave it null
    status         text check (status in ('运行', '在建', '停产', '注销')),
    industry       text,
    staff          integer check (staff >= 0),
    contact_person text,
    contact_phone  text,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    constraint unit_name_unique unique (name),
    constraint unit_credit_code_unique unique (credit_code),
    constraint unit_status_only_for_enterprises check (kind = 'enterprise' or status is null)
);

create trigger unit_updated_at before update on unit
    for each row execute function set_updated_at();
