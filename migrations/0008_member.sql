-- League members (团员). The resident ID number and the phone are personal information
-- (PIPL): stored only encrypted (AES-256-GCM, the key version beside each), found and kept
-- unique through a keyed HMAC blind index, and shown masked unless a permitted user asks.

create table member (
    member_id            bigint generated always as identity primary key,
    organization_id      bigint not null references organization,
    name                 text not null check (btrim(name) <> '' and char_length(name) <= 40),
    sex                  text not null check (sex in ('男', '女')),
    ethnicity            text not null check (ethnicity ~ '^[0-9]{2}$'),
    birth_date           date not null,
    resident_id_cipher   bytea not null,
    resident_id_version  integer not null,
    resident_id_index    bytea not null,
    resident_id_masked   text not null,
    phone_cipher         bytea,
    phone_version        integer,
    phone_masked         text,
    joined_on            date not null,
    education            text check (education ~ '^[0-9]{2}$'),
    political_status     text not null default '03' check (political_status ~ '^[0-9]{2}$'),
    league_post          text,
    state                text not null default 'active'
                         check (state in ('active', 'transferred', 'aged_out', 'left')),
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    constraint member_resident_id_unique unique (resident_id_index),
    constraint member_phone_complete check ((phone_cipher is null) = (phone_version is null)),
    -- joined at 14 or older (团章 第一条)
    constraint member_joined_at_fourteen check (joined_on >= (birth_date + interval '14 years')::date - 31)
);

create index member_roster on member (organization_id, name, member_id);

create trigger member_updated_at before update on member
    for each row execute function set_updated_at();
