-- How far an open round has come (issue 14): the dashboard says how many units have
-- reported so far and marks the figures carried over from the previous round. Counting a
-- round's entries per request grows with the zone, so the counts are kept per round, in
-- the same transaction as each change to the entries, like survey_total (migration 0012).

create table survey_progress (
    survey_id bigint primary key references survey on delete cascade,
    -- the round's entries, and those reported to this round (the rest carry the figures
    -- of the round before)
    entries   bigint not null default 0,
    reported  bigint not null default 0
);

create function survey_progress_add(round bigint, entries bigint, reported bigint) returns void
language sql as $$
    insert into survey_progress as p (survey_id, entries, reported)
    select round, entries, reported
     where exists (select 1 from survey s where s.survey_id = round)
    on conflict (survey_id) do update
        set entries = p.entries + excluded.entries, reported = p.reported + excluded.reported
$$;

create function survey_progress_insert() returns trigger language plpgsql as $$
begin
    perform survey_progress_add(survey_id, count(*), count(reported_at))
       from new_rows group by survey_id;
    return null;
end $$;

create function survey_progress_update() returns trigger language plpgsql as $$
begin
    perform survey_progress_add(survey_id, sum(n), sum(r))
       from (select survey_id, -1 as n, case when reported_at is null then 0 else -1 end as r from old_rows
             union all
             select survey_id, 1, case when reported_at is null then 0 else 1 end from new_rows) d
      group by survey_id;
    return null;
end $$;

create function survey_progress_delete() returns trigger language plpgsql as $$
begin
    perform survey_progress_add(survey_id, -count(*), -count(reported_at))
       from old_rows group by survey_id;
    return null;
end $$;

create trigger survey_progress_insert after insert on survey_entry
    referencing new table as new_rows for each statement execute function survey_progress_insert();
create trigger survey_progress_update after update on survey_entry
    referencing old table as old_rows new table as new_rows for each statement execute function survey_progress_update();
create trigger survey_progress_delete after delete on survey_entry
    referencing old table as old_rows for each statement execute function survey_progress_delete();

-- The recount now includes the progress.
create or replace function refresh_survey_totals() returns void language plpgsql as $$
begin
    perform survey_snapshot_take(s.survey_id)
       from survey s
      where s.locked and not exists (select 1 from survey_unit_snapshot f where f.survey_id = s.survey_id);
    perform refresh_unit_facts(array(select unit_id from unit));
    delete from survey_total;
    perform survey_total_add(array(
        select row(e.survey_id, u.kind, e.status, e.members, e.youth, u.has_organization,
                   u.application_pending, u.counted_members, 1)::survey_part
          from survey_entry e join survey s on s.survey_id = e.survey_id and not s.locked
          join unit u on u.unit_id = e.unit_id
        union all
        select row(e.survey_id, f.kind, e.status, e.members, e.youth, f.has_organization,
                   f.application_pending, f.counted_members, 1)::survey_part
          from survey_entry e join survey_unit_snapshot f using (survey_id, unit_id)));
    delete from unit_facet;
    perform unit_facet_add(array(
        select row(s.survey_id, u.kind, coalesce(e.status, u.status), coalesce(e.members, 0),
                   u.has_organization, u.application_pending, u.closed_on is not null, 1)::facet_part
          from survey s cross join unit u
          left join survey_entry e on e.unit_id = u.unit_id and e.survey_id = s.survey_id
         where not s.locked
        union all
        select row(f.survey_id, f.kind, coalesce(e.status, f.status), coalesce(e.members, 0),
                   f.has_organization, f.application_pending, f.closed, 1)::facet_part
          from survey_unit_snapshot f
          left join survey_entry e using (survey_id, unit_id)));
    delete from survey_progress;
    insert into survey_progress (survey_id, entries, reported)
    select survey_id, count(*), count(reported_at) from survey_entry group by survey_id;
end $$;

insert into survey_progress (survey_id, entries, reported)
select survey_id, count(*), count(reported_at) from survey_entry group by survey_id;
