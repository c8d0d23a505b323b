-- Transfers of a member's league relation (组织关系接转). Within the zone a transfer is
-- started by either organisation and takes effect when the other side agrees — the
-- receiving organisation accepting, or the sending one releasing a member the receiver
-- asked for. A transfer out of the zone is recorded as done at once and marks the member
-- transferred.

create table member_transfer (
    member_transfer_id    bigint generated always as identity primary key,
    member_id             bigint not null references member on delete cascade,
    from_organization_id  bigint not null references organization,
    to_organization_id    bigint references organization,
    -- Out of the zone: where the member goes.
    destination           text check (char_length(destination) <= 100),
    started_by            text not null check (started_by in ('sender', 'receiver')),
    state                 text not null default 'pending'
                          check (state in ('pending', 'done', 'refused', 'cancelled')),
    reason                text check (char_length(reason) <= 200),
    requested_by          bigint references account,
    requested_by_name     text not null,
    requested_at          timestamptz not null,
    decided_by            bigint references account,
    decided_by_name       text,
    decided_at            timestamptz,
    decision_note         text check (char_length(decision_note) <= 200),
    constraint member_transfer_target check ((to_organization_id is null) <> (destination is null)),
    constraint member_transfer_elsewhere check (to_organization_id <> from_organization_id),
    constraint member_transfer_decided check ((state = 'pending') = (decided_at is null))
);

-- One open transfer per member at a time.
create unique index member_transfer_one_pending on member_transfer (member_id) where state = 'pending';
create index member_transfer_to on member_transfer (to_organization_id, requested_at);
create index member_transfer_from on member_transfer (from_organization_id, requested_at);
create index member_transfer_member on member_transfer (member_id, requested_at);
