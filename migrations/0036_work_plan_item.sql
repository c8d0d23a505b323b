-- Work-plan items (工作安排, issue 17 item 1): the numbered items of a year's plan, as the
-- seed's 二、2019年工作安排 lists them (一、加强组织领导 …), each with a due date, a state and
-- dated progress notes. The yearly report lists a year's items in their order.
--
-- The owner is an organisation (the committee itself for most items), a person by name, or
-- both; a named account may be added so that the person is told in their inbox. The
-- notices of the hourly pass go to that account and to the organisation's people: the
-- committee's staff for the committee, the secretaries of its unit(s) for any other.

create table work_plan_item (
    work_plan_item_id     bigint generated always as identity primary key,
    year                  integer not null check (year between 2000 and 2100),
    -- 一、二、… : the item's place in its year's plan
    number                integer not null check (number between 1 and 99),
    heading               text not null check (btrim(heading) <> '' and char_length(heading) <= 60),
    text                  text not null default '' check (char_length(text) <= 4000),
    owner_organization_id bigint references organization,
    owner_name            text check (owner_name is null or (btrim(owner_name) <> '' and char_length(owner_name) <= 40)),
    owner_account_id      bigint references account,
    due_on                date not null,
    state                 text not null default 'planned'
                          check (state in ('planned', 'ongoing', 'done', 'cancelled')),
    created_by            bigint references account,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    constraint work_plan_item_number_unique unique (year, number),
    constraint work_plan_item_has_owner
        check (owner_organization_id is not null or owner_name is not null or owner_account_id is not null)
);

create trigger work_plan_item_updated_at before update on work_plan_item
    for each row execute function set_updated_at();

-- A secretary reads the items of their organisations; the hourly pass looks for open items
-- by due date.
create index work_plan_item_owner on work_plan_item (owner_organization_id) where owner_organization_id is not null;
create index work_plan_item_account on work_plan_item (owner_account_id) where owner_account_id is not null;
create index work_plan_item_open_due on work_plan_item (due_on) where state in ('planned', 'ongoing');

-- Progress notes: what was done, on which day, by whom, and the state it moved the item to.
create table work_plan_note (
    work_plan_note_id bigint generated always as identity primary key,
    work_plan_item_id bigint not null references work_plan_item on delete cascade,
    noted_on          date not null,
    text              text not null check (btrim(text) <> '' and char_length(text) <= 2000),
    state_from        text check (state_from in ('planned', 'ongoing', 'done', 'cancelled')),
    state_to          text check (state_to in ('planned', 'ongoing', 'done', 'cancelled')),
    account_id        bigint references account,
    actor_name        text not null,
    created_at        timestamptz not null default now(),
    -- a change names both states, and they differ
    constraint work_plan_note_change check ((state_from is null and state_to is null)
                                            or (state_from is not null and state_to is not null
                                                and state_from <> state_to))
);

create index work_plan_note_item on work_plan_note (work_plan_item_id, noted_on desc, work_plan_note_id desc);

-- The hourly pass's notices to the owners: once per item, condition and due date, so a
-- rerun sends nothing again and a new due date gets its own notices.
create table work_plan_notice (
    work_plan_item_id bigint not null references work_plan_item on delete cascade,
    condition         text not null check (condition in ('due_soon', 'overdue')),
    due_on            date not null,
    sent_at           timestamptz not null,
    primary key (work_plan_item_id, condition, due_on)
);
