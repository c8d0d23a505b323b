-- Work summaries the staff keep (issue 17 item 4): the words they write around the
-- computed figures of a period and round, while a draft; once finalised (报送), the
-- report as it then read, which no later change of the data alters, like a locked round.
--
-- `words` holds per item key ({"organization", "kind:volunteer", "series:好声音",
-- "branches", "plan:N"}) the staff's heading and text; `figures` per item key the
-- computed text as it read when the staff last saved, so that the editor can show which
-- figures changed since. `snapshot` is the composed report at finalisation.

create table work_report (
    work_report_id bigint generated always as identity primary key,
    period         text not null check (period ~ '^[0-9]{4}(H[12])?$'),
    survey_id      bigint references survey,
    title          text check (title is null or (btrim(title) <> '' and char_length(title) <= 100)),
    opening        text not null default '' check (char_length(opening) <= 5000),
    closing        text not null default '' check (char_length(closing) <= 5000),
    words          jsonb not null default '{}',
    figures        jsonb not null default '{}',
    state          text not null default 'draft' check (state in ('draft', 'final')),
    snapshot       jsonb,
    based_on       bigint references work_report,
    created_by     bigint references account,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    finalised_by   bigint references account,
    finalised_at   timestamptz,
    constraint work_report_final_is_kept check ((state = 'final') = (snapshot is not null and finalised_at is not null))
);

-- One draft per period and round at a time.
create unique index work_report_one_draft on work_report (period, coalesce(survey_id, 0)) where state = 'draft';
create index work_report_period on work_report (period, work_report_id desc);

create trigger work_report_updated_at before update on work_report
    for each row execute function set_updated_at();

-- A finalised report never changes and is never deleted.
create function work_report_final() returns trigger language plpgsql as $$
begin
    if old.state = 'final' then
        raise exception 'work report % is final', old.work_report_id using errcode = 'check_violation';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;

create trigger work_report_final before update or delete on work_report
    for each row execute function work_report_final();
