-- The second factor (TOTP, RFC 6238) of an account, issue 18 item 1.
-- The shared secret is encrypted with the personal-data keys, like a resident ID: a copy
-- of the database alone does not give the codes. It is stored only once a code confirmed
-- the enrolment (until then it travels sealed in the enrolment form).
alter table account
    add column totp_secret_cipher  bytea,
    add column totp_secret_version integer,
    add column totp_enrolled_at    timestamptz,
    -- the last time step whose code was accepted: a code of that step or before is refused
    add column totp_last_step      bigint,
    add constraint account_totp_secret_whole
        check ((totp_secret_cipher is null) = (totp_secret_version is null)
               and (totp_secret_cipher is null) = (totp_enrolled_at is null));

-- Single-use recovery codes: only the SHA-256 of each (80 random bits) is kept.
create table recovery_code (
    recovery_code_id bigint generated always as identity primary key,
    account_id       bigint not null references account on delete cascade,
    code_hash        text not null,
    used_at          timestamptz,
    constraint recovery_code_unique unique (account_id, code_hash)
);

-- A session opened by the right password of an enrolled account, waiting for its code:
-- it reaches only the code form and signing out.
alter table session
    add column second_factor_pending boolean not null default false;
