-- A locked round never changes (issue 14): its figures are a snapshot that no later
-- approval, unit edit, closure, member change or import alters.
--
-- The round's entries were frozen already (migration 0005), but its figures also read each
-- unit's facts as they are now (kind, status, closed, has an organisation, application
-- waiting, members on the roster), so an approval in 2026 moved the figures of a round
-- locked as of 2018. Locking now copies those facts of every unit into
-- survey_unit_snapshot, and the triggers that keep survey_total and unit_facet leave
-- locked rounds alone: their kept rows are the figures as they were at the lock. Lists and
-- drill-downs of a locked round read the snapshot instead of the units' current facts, and
-- the recount of a locked round counts from it.

create table survey_unit_snapshot (
    survey_id           bigint not null references survey on delete cascade,
    unit_id             bigint not null references unit on delete cascade,
    kind                text not null,
    -- the unit's own status (enterprises); the round's entry may say otherwise
    status              text,
    closed              boolean not null,
    has_organization    boolean not null,
    application_pending boolean not null,
    counted_members     integer not null,
    primary key (survey_id, unit_id)
);

-- Every unit of the zone as it stands, for one round.
create function survey_snapshot_take(round bigint) returns void language sql as $$
    insert into survey_unit_snapshot (survey_id, unit_id, kind, status, closed, has_organization,
                                      application_pending, counted_members)
    select round, unit_id, kind, status, closed_on is not null, has_organization,
           application_pending, counted_members
      from unit
    on conflict (survey_id, unit_id) do nothing
$$;

create function survey_snapshot_on_lock() returns trigger language plpgsql as $$
begin
    perform survey_snapshot_take(new.survey_id);
    return null;
end $$;

create trigger survey_snapshot_on_lock after update of locked on survey
    for each row when (new.locked and not old.locked) execute function survey_snapshot_on_lock();
create trigger survey_snapshot_on_insert after insert on survey
    for each row when (new.locked) execute function survey_snapshot_on_lock();

-- Units: a changed kind or fact moves each of the unit's entries in the open rounds only.
create or replace function unit_totals() returns trigger language plpgsql as $$
begin
    perform survey_total_add(array(
        select row(e.survey_id, o.kind, e.status, e.members, e.youth, o.has_organization,
                   o.application_pending, o.counted_members, -1)::survey_part
          from old_rows o join new_rows n using (unit_id) join survey_entry e on e.unit_id = o.unit_id
          join survey s on s.survey_id = e.survey_id and not s.locked
         where (o.kind, o.has_organization, o.application_pending, o.counted_members)
               is distinct from (n.kind, n.has_organization, n.application_pending, n.counted_members)
        union all
        select row(e.survey_id, n.kind, e.status, e.members, e.youth, n.has_organization,
                   n.application_pending, n.counted_members, 1)::survey_part
          from old_rows o join new_rows n using (unit_id) join survey_entry e on e.unit_id = n.unit_id
          join survey s on s.survey_id = e.survey_id and not s.locked
         where (o.kind, o.has_organization, o.application_pending, o.counted_members)
               is distinct from (n.kind, n.has_organization, n.application_pending, n.counted_members)));
    return null;
end $$;

-- Units added, changed or removed: their place in the open rounds only.
create or replace function unit_facet_units() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform unit_facet_add(array(
            select row(s.survey_id, n.kind, n.status, 0, n.has_organization, n.application_pending,
                       n.closed_on is not null, 1)::facet_part
              from new_rows n cross join survey s
             where not s.locked));
    elsif tg_op = 'DELETE' then
        perform unit_facet_add(array(
            select row(s.survey_id, o.kind, coalesce(e.status, o.status), coalesce(e.members, 0),
                       o.has_organization, o.application_pending, o.closed_on is not null, -1)::facet_part
              from old_rows o cross join survey s
              left join survey_entry e on e.unit_id = o.unit_id and e.survey_id = s.survey_id
             where not s.locked));
    else
        perform unit_facet_add(array(
            select row(s.survey_id, o.kind, coalesce(e.status, o.status), coalesce(e.members, 0),
                       o.has_organization, o.application_pending, o.closed_on is not null, -1)::facet_part
              from old_rows o join new_rows n using (unit_id) cross join survey s
              left join survey_entry e on e.unit_id = o.unit_id and e.survey_id = s.survey_id
             where not s.locked
               and (o.kind, o.status, o.closed_on, o.has_organization, o.application_pending)
                   is distinct from (n.kind, n.status, n.closed_on, n.has_organization, n.application_pending)
            union all
            select row(s.survey_id, n.kind, coalesce(e.status, n.status), coalesce(e.members, 0),
                       n.has_organization, n.application_pending, n.closed_on is not null, 1)::facet_part
              from old_rows o join new_rows n using (unit_id) cross join survey s
              left join survey_entry e on e.unit_id = n.unit_id and e.survey_id = s.survey_id
             where not s.locked
               and (o.kind, o.status, o.closed_on, o.has_organization, o.application_pending)
                   is distinct from (n.kind, n.status, n.closed_on, n.has_organization, n.application_pending)));
    end if;
    return null;
end $$;

-- The recount: open rounds from the units as they are, locked ones from their snapshot
-- (taken first for a round locked without one, e.g. by a bulk load that skipped triggers).
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
end $$;

-- Rounds locked before this migration: their snapshot is the units as they are now, and
-- their kept totals are recounted from it (unchanged, since nothing skipped them so far).
select survey_snapshot_take(survey_id) from survey where locked;
