-- Activity and volunteer totals kept in the same transaction as each change (issue 16
-- item 9), so that the dashboard's year figures and the hours per person read a few rows
-- instead of every participation of the year (10 million a year at 5M members), as
-- survey_total does for the survey (migration 0012).
--
-- Three levels, kept by statement-level triggers with transition tables:
--   1. per activity (activity_total): participants, units and hours, with the activity's
--      kind and the years it touches copied, so that its share can be taken away after
--      the activity itself is gone;
--   2. per year and kind (activity_year_total): the dashboard's sums;
--   3. per person and year (volunteer_year), activities and hours over the year's
--      activities that were not cancelled, and per year the number of people credited
--      with any hours (volunteer_year_total).
-- An activity counts in every year its span touches in the zone's time zone, as the
-- pages' filter (ends_at >= 1 January, starts_at < next 1 January) counts it; the zone's
-- time zone is the one row of zone_time_zone, which the server writes at start and after
-- which it recounts when it changed. `refresh_activity_totals()` recounts everything:
-- the generator calls it, and tests/app/activity_totals.rs checks after every kind of
-- change that the kept totals equal a recount.

create table zone_time_zone (
    one  boolean primary key default true check (one),
    name text not null
);
insert into zone_time_zone (name) values ('Asia/Shanghai');

-- The calendar year of an instant in the zone's time zone.
create function zone_year(at timestamptz) returns integer language sql stable as $$
    select extract(year from at at time zone (select name from zone_time_zone))::integer
$$;

create table activity_total (
    activity_id  bigint primary key,
    kind         text not null,
    first_year   integer not null,
    last_year    integer not null,
    participants integer not null default 0,
    units        integer not null default 0,
    hours_tenths bigint not null default 0
);

create table activity_year_total (
    year         integer not null,
    kind         text not null,
    activities   bigint not null default 0,
    participants bigint not null default 0,
    units        bigint not null default 0,
    hours_tenths bigint not null default 0,
    primary key (year, kind)
);

-- A person: `m<member id>`, `p<hex of the phone's blind index>`, or for a non-member
-- without a phone (which the service never writes) `n<participation id>`.
create function person_key(member bigint, phone bytea, participation bigint) returns text
language sql immutable as $$
    select coalesce('m' || member::text, 'p' || encode(phone, 'hex'), 'n' || participation::text)
$$;

create table volunteer_year (
    year         integer not null,
    person_key   text not null,
    member_id    bigint,
    phone_index  bytea,
    person_name  text,
    phone_masked text,
    person_unit  text,
    activities   integer not null,
    hours_tenths bigint not null,
    primary key (year, person_key)
);
create index volunteer_year_person on volunteer_year (person_key);
create index volunteer_year_credited on volunteer_year (year, person_key) where hours_tenths > 0;

create table volunteer_year_total (
    year       integer primary key,
    volunteers bigint not null default 0
);

-- Adds (sign +1) or takes away (-1) whole activities' shares of the year totals.
create function activity_year_add(ids bigint[], sign integer) returns void language sql as $$
    insert into activity_year_total as t (year, kind, activities, participants, units, hours_tenths)
    select y.year, a.kind, sign * count(*), sign * sum(a.participants), sign * sum(a.units),
           sign * sum(a.hours_tenths)
      from activity_total a cross join lateral generate_series(a.first_year, a.last_year) y(year)
     where a.activity_id = any(ids)
     group by y.year, a.kind
    on conflict (year, kind) do update set
        activities = t.activities + excluded.activities,
        participants = t.participants + excluded.participants,
        units = t.units + excluded.units,
        hours_tenths = t.hours_tenths + excluded.hours_tenths
$$;

-- Recounts the activities' participants, units and hours and moves the difference into
-- the year totals; activities already gone are left to their own trigger.
create function refresh_activity_counts(ids bigint[]) returns void language sql as $$
    with fresh as (
        select t.activity_id, t.kind, t.first_year, t.last_year,
               t.participants as old_participants, t.units as old_units, t.hours_tenths as old_hours,
               (select count(*) from participation p where p.activity_id = t.activity_id)::integer as participants,
               (select count(*) from activity_unit c where c.activity_id = t.activity_id)::integer as units,
               (select coalesce(sum(p.hours_tenths), 0) from participation p where p.activity_id = t.activity_id)::bigint as hours
          from activity_total t where t.activity_id = any(ids)
    ),
    changed as (
        update activity_total t set participants = f.participants, units = f.units, hours_tenths = f.hours
          from fresh f
         where t.activity_id = f.activity_id
           and (f.old_participants, f.old_units, f.old_hours) is distinct from (f.participants, f.units, f.hours)
        returning f.*
    )
    insert into activity_year_total as t (year, kind, participants, units, hours_tenths)
    select y.year, c.kind, sum(c.participants - c.old_participants), sum(c.units - c.old_units),
           sum(c.hours - c.old_hours)
      from changed c cross join lateral generate_series(c.first_year, c.last_year) y(year)
     group by y.year, c.kind
    on conflict (year, kind) do update set
        participants = t.participants + excluded.participants,
        units = t.units + excluded.units,
        hours_tenths = t.hours_tenths + excluded.hours_tenths
$$;

-- Recounts the people's rows of every year from their participations, and moves the
-- change in who is credited with hours into the years' volunteer counts.
create function refresh_volunteer_years(keys text[]) returns void language plpgsql as $$
declare
    members bigint[] := array(select substr(k, 2)::bigint from unnest(keys) k where k like 'm%');
    phones bytea[] := array(select decode(substr(k, 2), 'hex') from unnest(keys) k where k like 'p%');
    loose bigint[] := array(select substr(k, 2)::bigint from unnest(keys) k where k like 'n%');
begin
    if cardinality(keys) = 0 then
        return;
    end if;
    insert into volunteer_year_total as t (year, volunteers)
    select v.year, -count(*) from volunteer_year v
     where v.person_key = any(keys) and v.hours_tenths > 0 group by v.year
    on conflict (year) do update set volunteers = t.volunteers + excluded.volunteers;
    delete from volunteer_year v where v.person_key = any(keys);
    insert into volunteer_year (year, person_key, member_id, phone_index, person_name, phone_masked,
                                person_unit, activities, hours_tenths)
    select y.year, person_key(p.member_id, p.phone_index, p.participation_id), max(p.member_id),
           (array_agg(p.phone_index))[1], max(p.person_name), max(p.phone_masked),
           max(p.person_unit), count(*), coalesce(sum(p.hours_tenths), 0)
      from participation p
      join activity a on a.activity_id = p.activity_id and a.state <> 'cancelled'
     cross join lateral generate_series(zone_year(a.starts_at), zone_year(a.ends_at)) y(year)
     where p.member_id = any(members) or p.phone_index = any(phones) or p.participation_id = any(loose)
     group by 1, 2;
    insert into volunteer_year_total as t (year, volunteers)
    select v.year, count(*) from volunteer_year v
     where v.person_key = any(keys) and v.hours_tenths > 0 group by v.year
    on conflict (year) do update set volunteers = t.volunteers + excluded.volunteers;
end $$;

create function participation_totals() returns trigger language plpgsql as $$
declare
    ids bigint[] := '{}';
    keys text[] := '{}';
begin
    if tg_op in ('UPDATE', 'DELETE') then
        ids := ids || array(select distinct activity_id from old_rows);
        keys := keys || array(select distinct person_key(member_id, phone_index, participation_id) from old_rows);
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        ids := ids || array(select distinct activity_id from new_rows);
        keys := keys || array(select distinct person_key(member_id, phone_index, participation_id) from new_rows);
    end if;
    perform refresh_activity_counts(array(select distinct unnest(ids)));
    perform refresh_volunteer_years(array(select distinct unnest(keys)));
    return null;
end $$;

create trigger participation_totals_insert after insert on participation
    referencing new table as new_rows for each statement execute function participation_totals();
create trigger participation_totals_update after update on participation
    referencing old table as old_rows new table as new_rows for each statement execute function participation_totals();
create trigger participation_totals_delete after delete on participation
    referencing old table as old_rows for each statement execute function participation_totals();

create function activity_unit_totals() returns trigger language plpgsql as $$
declare
    ids bigint[] := '{}';
begin
    if tg_op in ('UPDATE', 'DELETE') then
        ids := ids || array(select distinct activity_id from old_rows);
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        ids := ids || array(select distinct activity_id from new_rows);
    end if;
    perform refresh_activity_counts(array(select distinct unnest(ids)));
    return null;
end $$;

create trigger activity_unit_totals_insert after insert on activity_unit
    referencing new table as new_rows for each statement execute function activity_unit_totals();
create trigger activity_unit_totals_update after update on activity_unit
    referencing old table as old_rows new table as new_rows for each statement execute function activity_unit_totals();
create trigger activity_unit_totals_delete after delete on activity_unit
    referencing old table as old_rows for each statement execute function activity_unit_totals();

-- Activities: a new one adds its count; a gone one takes its share away; a changed kind
-- or span moves its share; a changed state or span recounts its people's years.
create function activity_totals() returns trigger language plpgsql as $$
declare
    moved bigint[];
begin
    if tg_op = 'INSERT' then
        insert into activity_total (activity_id, kind, first_year, last_year)
        select n.activity_id, n.kind, zone_year(n.starts_at), zone_year(n.ends_at) from new_rows n;
        perform activity_year_add(array(select activity_id from new_rows), 1);
    elsif tg_op = 'DELETE' then
        perform activity_year_add(array(select activity_id from old_rows), -1);
        delete from activity_total t where t.activity_id in (select activity_id from old_rows);
    else
        moved := array(
            select n.activity_id from old_rows o join new_rows n using (activity_id)
             where (o.kind, zone_year(o.starts_at), zone_year(o.ends_at))
                   is distinct from (n.kind, zone_year(n.starts_at), zone_year(n.ends_at)));
        if cardinality(moved) > 0 then
            perform activity_year_add(moved, -1);
            update activity_total t
               set kind = n.kind, first_year = zone_year(n.starts_at), last_year = zone_year(n.ends_at)
              from new_rows n where n.activity_id = t.activity_id and t.activity_id = any(moved);
            perform activity_year_add(moved, 1);
        end if;
        perform refresh_volunteer_years(array(
            select distinct person_key(p.member_id, p.phone_index, p.participation_id)
              from old_rows o join new_rows n using (activity_id)
              join participation p on p.activity_id = n.activity_id
             where (o.state = 'cancelled', zone_year(o.starts_at), zone_year(o.ends_at))
                   is distinct from (n.state = 'cancelled', zone_year(n.starts_at), zone_year(n.ends_at))));
    end if;
    return null;
end $$;

create trigger activity_totals_insert after insert on activity
    referencing new table as new_rows for each statement execute function activity_totals();
create trigger activity_totals_update after update on activity
    referencing old table as old_rows new table as new_rows for each statement execute function activity_totals();
create trigger activity_totals_delete after delete on activity
    referencing old table as old_rows for each statement execute function activity_totals();

-- Every kept total recounted from the activities and participations: after a bulk load
-- without triggers, and when the zone's time zone changed.
create function refresh_activity_totals() returns void language plpgsql as $$
begin
    truncate activity_total, activity_year_total, volunteer_year, volunteer_year_total;
    insert into activity_total (activity_id, kind, first_year, last_year, participants, units, hours_tenths)
    select a.activity_id, a.kind, zone_year(a.starts_at), zone_year(a.ends_at),
           coalesce(p.participants, 0), coalesce(u.units, 0), coalesce(p.hours, 0)
      from activity a
      left join (select activity_id, count(*)::integer as participants, sum(hours_tenths)::bigint as hours
                   from participation group by activity_id) p using (activity_id)
      left join (select activity_id, count(*)::integer as units from activity_unit group by activity_id) u
           using (activity_id);
    insert into activity_year_total (year, kind, activities, participants, units, hours_tenths)
    select y.year, a.kind, count(*), sum(a.participants), sum(a.units), sum(a.hours_tenths)
      from activity_total a cross join lateral generate_series(a.first_year, a.last_year) y(year)
     group by y.year, a.kind;
    insert into volunteer_year (year, person_key, member_id, phone_index, person_name, phone_masked,
                                person_unit, activities, hours_tenths)
    select y.year, person_key(p.member_id, p.phone_index, p.participation_id), max(p.member_id),
           (array_agg(p.phone_index))[1], max(p.person_name), max(p.phone_masked),
           max(p.person_unit), count(*), coalesce(sum(p.hours_tenths), 0)
      from participation p
      join activity_total t on t.activity_id = p.activity_id
      join activity a on a.activity_id = p.activity_id and a.state <> 'cancelled'
     cross join lateral generate_series(t.first_year, t.last_year) y(year)
     group by 1, 2;
    insert into volunteer_year_total (year, volunteers)
    select year, count(*) from volunteer_year where hours_tenths > 0 group by year;
end $$;

select refresh_activity_totals();
