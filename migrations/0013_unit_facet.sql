-- The units list shows, beside its filters, how many units each would show. Counting
-- every unit of the zone per request grows with the zone; instead the database keeps, per
-- round, the number of units in each combination of the values the filters look at (a
-- few hundred rows at most), in the same transaction as each change. The list reads it
-- for the zone-wide view without a search; scoped or searched lists are small and count.

create table unit_facet (
    survey_id         bigint not null references survey on delete cascade,
    kind              text not null,
    -- the round's status for enterprises, else the unit's; '' when none
    status            text not null,
    has_members       boolean not null,
    has_organization  boolean not null,
    eligible_missing  boolean not null,
    pending           boolean not null,
    closed            boolean not null,
    units             bigint not null default 0,
    primary key (survey_id, kind, status, has_members, has_organization, eligible_missing, pending, closed)
);

-- A unit's place in one round, with a sign: +1 added, -1 taken away.
create type facet_part as (
    survey_id bigint,
    kind      text,
    status    text,
    members   integer,
    has_org   boolean,
    pending   boolean,
    closed    boolean,
    sign      integer
);

create function unit_facet_add(parts facet_part[]) returns void language sql as $$
    insert into unit_facet as f (survey_id, kind, status, has_members, has_organization,
                                 eligible_missing, pending, closed, units)
    select p.survey_id, p.kind, coalesce(p.status, ''), coalesce(p.members, 0) > 0, p.has_org,
           coalesce(p.members, 0) >= 3 and not p.has_org, p.pending, p.closed, sum(p.sign)
      from unnest(parts) p
     where exists (select 1 from survey s where s.survey_id = p.survey_id)
     group by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict (survey_id, kind, status, has_members, has_organization, eligible_missing, pending, closed)
    do update set units = f.units + excluded.units
$$;

-- Entries: a unit moves from "no entry in the round" to its entry's figures and back.
create function unit_facet_entries() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform unit_facet_add(array(
            select row(o.survey_id, u.kind, coalesce(o.status, u.status), o.members, u.has_organization,
                       u.application_pending, u.closed_on is not null, -1)::facet_part
              from old_rows o join unit u using (unit_id)
            union all
            select row(o.survey_id, u.kind, u.status, 0, u.has_organization,
                       u.application_pending, u.closed_on is not null, 1)::facet_part
              from old_rows o join unit u using (unit_id)));
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        perform unit_facet_add(array(
            select row(n.survey_id, u.kind, u.status, 0, u.has_organization,
                       u.application_pending, u.closed_on is not null, -1)::facet_part
              from new_rows n join unit u using (unit_id)
            union all
            select row(n.survey_id, u.kind, coalesce(n.status, u.status), n.members, u.has_organization,
                       u.application_pending, u.closed_on is not null, 1)::facet_part
              from new_rows n join unit u using (unit_id)));
    end if;
    return null;
end $$;

create trigger unit_facet_entries_insert after insert on survey_entry
    referencing new table as new_rows for each statement execute function unit_facet_entries();
create trigger unit_facet_entries_update after update on survey_entry
    referencing old table as old_rows new table as new_rows for each statement execute function unit_facet_entries();
create trigger unit_facet_entries_delete after delete on survey_entry
    referencing old table as old_rows for each statement execute function unit_facet_entries();

-- Units: added, changed or removed, in every round. Each one's place in the round with
-- its entry, if it has one.
create function unit_facet_units() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform unit_facet_add(array(
            select row(s.survey_id, n.kind, n.status, 0, n.has_organization, n.application_pending,
                       n.closed_on is not null, 1)::facet_part
              from new_rows n cross join survey s));
    elsif tg_op = 'DELETE' then
        perform unit_facet_add(array(
            select row(s.survey_id, o.kind, coalesce(e.status, o.status), coalesce(e.members, 0),
                       o.has_organization, o.application_pending, o.closed_on is not null, -1)::facet_part
              from old_rows o cross join survey s
              left join survey_entry e on e.unit_id = o.unit_id and e.survey_id = s.survey_id));
    else
        perform unit_facet_add(array(
            select row(s.survey_id, o.kind, coalesce(e.status, o.status), coalesce(e.members, 0),
                       o.has_organization, o.application_pending, o.closed_on is not null, -1)::facet_part
              from old_rows o join new_rows n using (unit_id) cross join survey s
              left join survey_entry e on e.unit_id = o.unit_id and e.survey_id = s.survey_id
             where (o.kind, o.status, o.closed_on, o.has_organization, o.application_pending)
                   is distinct from (n.kind, n.status, n.closed_on, n.has_organization, n.application_pending)
            union all
            select row(s.survey_id, n.kind, coalesce(e.status, n.status), coalesce(e.members, 0),
                       n.has_organization, n.application_pending, n.closed_on is not null, 1)::facet_part
              from old_rows o join new_rows n using (unit_id) cross join survey s
              left join survey_entry e on e.unit_id = n.unit_id and e.survey_id = s.survey_id
             where (o.kind, o.status, o.closed_on, o.has_organization, o.application_pending)
                   is distinct from (n.kind, n.status, n.closed_on, n.has_organization, n.application_pending)));
    end if;
    return null;
end $$;

create trigger unit_facet_units_insert after insert on unit
    referencing new table as new_rows for each statement execute function unit_facet_units();
create trigger unit_facet_units_update after update on unit
    referencing old table as old_rows new table as new_rows for each statement execute function unit_facet_units();
create trigger unit_facet_units_delete after delete on unit
    referencing old table as old_rows for each statement execute function unit_facet_units();

-- A new round starts with every unit and no entries.
create function unit_facet_rounds() returns trigger language plpgsql as $$
begin
    perform unit_facet_add(array(
        select row(n.survey_id, u.kind, u.status, 0, u.has_organization, u.application_pending,
                   u.closed_on is not null, 1)::facet_part
          from new_rows n cross join unit u));
    return null;
end $$;

create trigger unit_facet_rounds after insert on survey
    referencing new table as new_rows for each statement execute function unit_facet_rounds();

-- The recount now includes the facets.
create or replace function refresh_survey_totals() returns void language plpgsql as $$
begin
    perform refresh_unit_facts(array(select unit_id from unit));
    delete from survey_total;
    perform survey_total_add(array(
        select row(e.survey_id, u.kind, e.status, e.members, e.youth, u.has_organization,
                   u.application_pending, u.counted_members, 1)::survey_part
          from survey_entry e join unit u using (unit_id)));
    delete from unit_facet;
    perform unit_facet_add(array(
        select row(s.survey_id, u.kind, coalesce(e.status, u.status), coalesce(e.members, 0),
                   u.has_organization, u.application_pending, u.closed_on is not null, 1)::facet_part
          from survey s cross join unit u
          left join survey_entry e on e.unit_id = u.unit_id and e.survey_id = s.survey_id));
end $$;

select refresh_survey_totals();

