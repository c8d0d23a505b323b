-- 志愿服务记录证明 (issue 16 item 5): a certificate issued for a person's volunteer record,
-- with a snapshot of what it certified, so that hours recorded or corrected later never
-- change a certificate already handed out (志愿服务记录与证明出具办法: the issuing
-- organisation states the record as it stood). The person is a member of the roster, or a
-- young person who is not one, known by the blind index of the phone they gave (the same
-- keyed index as participation.phone_index); their phone is kept only masked here.
--
-- The number is `TJ<year>-<10 Crockford base32 characters>` (50 random bits, see
-- src/domain/certificate.rs): typeable from paper, and not guessable, which the public
-- verification page relies on together with its rate limit below.

create table volunteer_certificate (
    volunteer_certificate_id bigint generated always as identity primary key,
    number                   text not null unique check (number ~ '^TJ[0-9]{4}-[0-9A-HJKMNP-TV-Z]{10}$'),
    member_id                bigint references member,
    phone_index              bytea,
    person_name              text not null check (btrim(person_name) <> ''),
    -- The member's resident ID masked (652301********1234), or the non-member's phone masked.
    id_masked                text,
    phone_masked             text,
    hours_tenths             bigint not null check (hours_tenths >= 0),
    star_level               text,
    -- [{"date": "2018-06-09", "title": ..., "organizer": ..., "role": ..., "hours_tenths": 95}]
    lines                    jsonb not null,
    issuer_organization_id   bigint not null references organization,
    issuer_name              text not null,
    issued_on                date not null,
    issued_by                bigint not null references account,
    issued_at                timestamptz not null,
    constraint volunteer_certificate_who check ((member_id is null) <> (phone_index is null))
);

create index volunteer_certificate_member on volunteer_certificate (member_id) where member_id is not null;
create index volunteer_certificate_person on volunteer_certificate (phone_index) where phone_index is not null;
create index volunteer_certificate_issuer on volunteer_certificate (issuer_organization_id);

-- Lookups on the public verification page per client address, found or not: the rate
-- limit counts them (like login_attempt for signing in), so numbers cannot be enumerated.
create table certificate_lookup (
    certificate_lookup_id bigint generated always as identity primary key,
    address               text not null,
    looked_up_at          timestamptz not null,
    found                 boolean not null
);

create index certificate_lookup_address_time on certificate_lookup (address, looked_up_at);
