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
      group by survey_id
     having sum(n) <> 0 or sum(r) <> 0;
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

-- The recount (refresh_survey_totals, migration 0021) now includes the progress: the
-- earlier recount keeps its body under another name and this one adds to it.
alter function refresh_survey_totals() rename to refresh_survey_totals_without_progress;

create function refresh_survey_totals() returns void language plpgsql as $$
begin
    perform refresh_survey_totals_without_progress();
    delete from survey_progress;
    insert into survey_progress (survey_id, entries, reported)
    select survey_id, count(*), count(reported_at) from survey_entry group by survey_id;
end $$;

insert into survey_progress (survey_id, entries, reported)
select survey_id, count(*), count(reported_at) from survey_entry group by survey_id;
