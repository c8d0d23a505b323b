-- Totals maintained in the same transaction as the change, so that dashboards read a few
-- rows instead of counting every unit of a round on every request (issue 7: flat page
-- times from 50k to 5M members).
--
-- Two levels, both kept by statement-level triggers with transition tables (one trigger
-- run per statement, however many rows it touches):
--   1. on each unit, the facts the figures need from other tables: whether it has an
--      organisation (its own or a joint branch), whether an application waits, and how
--      many active members the roster counts for it;
--   2. per round and unit kind, the sums the dashboard shows (survey_total).
-- `refresh_survey_totals()` recomputes both from scratch: the bulk loader calls it, and
-- the tests check that the maintained totals always equal a recount.

alter table unit
    add column has_organization    boolean not null default false,
    add column application_pending boolean not null default false,
    add column counted_members     integer not null default 0;

create table survey_total (
    survey_id                     bigint not null references survey on delete cascade,
    kind                          text not null,
    units                         bigint not null default 0,
    operating                     bigint not null default 0,
    members                       bigint not null default 0,
    youth                         bigint not null default 0,
    with_members                  bigint not null default 0,
    with_organization             bigint not null default 0,
    pending_without_organization  bigint not null default 0,
    eligible                      bigint not null default 0,
    eligible_with_organization    bigint not null default 0,
    eligible_without_organization bigint not null default 0,
    eligible_pending              bigint not null default 0,
    counted_members               bigint not null default 0,
    primary key (survey_id, kind)
);

-- One round entry's share of the totals, with a sign: +1 added, -1 taken away.
create type survey_part as (
    survey_id bigint,
    kind      text,
    status    text,
    members   integer,
    youth     integer,
    has_org   boolean,
    pending   boolean,
    counted   integer,
    sign      integer
);

create function survey_total_add(parts survey_part[]) returns void language sql as $$
    insert into survey_total as t (survey_id, kind, units, operating, members, youth, with_members,
                                   with_organization, pending_without_organization, eligible,
                                   eligible_with_organization, eligible_without_organization,
                                   eligible_pending, counted_members)
    select p.survey_id, p.kind,
           sum(p.sign),
           sum(case when p.status = '运行' then p.sign else 0 end),
           sum(p.sign * p.members),
           sum(p.sign * p.youth),
           sum(case when p.members > 0 then p.sign else 0 end),
           sum(case when p.has_org then p.sign else 0 end),
           sum(case when not p.has_org and p.pending then p.sign else 0 end),
           sum(case when p.members >= 3 then p.sign else 0 end),
           sum(case when p.members >= 3 and p.has_org then p.sign else 0 end),
           sum(case when p.members >= 3 and not p.has_org then p.sign else 0 end),
           sum(case when p.members >= 3 and not p.has_org and p.pending then p.sign else 0 end),
           sum(p.sign * p.counted)
      from unnest(parts) p
     -- a round being deleted takes its totals with it
     where exists (select 1 from survey s where s.survey_id = p.survey_id)
     group by p.survey_id, p.kind
    on conflict (survey_id, kind) do update set
        units = t.units + excluded.units,
        operating = t.operating + excluded.operating,
        members = t.members + excluded.members,
        youth = t.youth + excluded.youth,
        with_members = t.with_members + excluded.with_members,
        with_organization = t.with_organization + excluded.with_organization,
        pending_without_organization = t.pending_without_organization + excluded.pending_without_organization,
        eligible = t.eligible + excluded.eligible,
        eligible_with_organization = t.eligible_with_organization + excluded.eligible_with_organization,
        eligible_without_organization = t.eligible_without_organization + excluded.eligible_without_organization,
        eligible_pending = t.eligible_pending + excluded.eligible_pending,
        counted_members = t.counted_members + excluded.counted_members
$$;

-- Round entries: their own figures changed; the units' facts are as they are now.
create function survey_entry_totals() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform survey_total_add(array(
            select row(o.survey_id, u.kind, o.status, o.members, o.youth, u.has_organization,
                       u.application_pending, u.counted_members, -1)::survey_part
              from old_rows o join unit u using (unit_id)));
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        perform survey_total_add(array(
            select row(n.survey_id, u.kind, n.status, n.members, n.youth, u.has_organization,
                       u.application_pending, u.counted_members, 1)::survey_part
              from new_rows n join unit u using (unit_id)));
    end if;
    return null;
end $$;

create trigger survey_entry_totals_insert after insert on survey_entry
    referencing new table as new_rows for each statement execute function survey_entry_totals();
create trigger survey_entry_totals_update after update on survey_entry
    referencing old table as old_rows new table as new_rows for each statement execute function survey_entry_totals();
create trigger survey_entry_totals_delete after delete on survey_entry
    referencing old table as old_rows for each statement execute function survey_entry_totals();

-- Units: a changed kind or fact moves each of the unit's entries from the old to the new.
create function unit_totals() returns trigger language plpgsql as $$
begin
    perform survey_total_add(array(
        select row(e.survey_id, o.kind, e.status, e.members, e.youth, o.has_organization,
                   o.application_pending, o.counted_members, -1)::survey_part
          from old_rows o join new_rows n using (unit_id) join survey_entry e on e.unit_id = o.unit_id
         where (o.kind, o.has_organization, o.application_pending, o.counted_members)
               is distinct from (n.kind, n.has_organization, n.application_pending, n.counted_members)
        union all
        select row(e.survey_id, n.kind, e.status, e.members, e.youth, n.has_organization,
                   n.application_pending, n.counted_members, 1)::survey_part
          from old_rows o join new_rows n using (unit_id) join survey_entry e on e.unit_id = n.unit_id
         where (o.kind, o.has_organization, o.application_pending, o.counted_members)
               is distinct from (n.kind, n.has_organization, n.application_pending, n.counted_members)));
    return null;
end $$;

create trigger unit_totals after update on unit
    referencing old table as old_rows new table as new_rows for each statement execute function unit_totals();

-- The units' facts, recomputed for the units given; only changed rows are written. Set
-- based, so that a recount of every unit is one join, not a count per unit.
create function refresh_unit_facts(units bigint[]) returns void language sql as $$
    with x as (select distinct unnest(units) as unit_id),
    -- the organisations whose members a unit counts: its own, or a joint branch's
    counting as (
        select o.unit_id, o.organization_id from organization o join x on x.unit_id = o.unit_id
        union all
        select j.unit_id, j.organization_id from organization_unit j join x on x.unit_id = j.unit_id
          join organization o on o.organization_id = j.organization_id and o.unit_id is null
    ),
    counted as (
        select c.unit_id, count(*)::integer as counted
          from counting c join member m on m.organization_id = c.organization_id and m.state = 'active'
         group by c.unit_id
    ),
    f as (
        select x.unit_id,
               exists (select 1 from organization o where o.unit_id = x.unit_id)
                 or exists (select 1 from organization_unit j where j.unit_id = x.unit_id) as has_org,
               exists (select 1 from formation_application a
                        where a.unit_id = x.unit_id and a.state in ('submitted', 'resubmitted')) as pending,
               coalesce(c.counted, 0) as counted
          from x left join counted c using (unit_id)
    )
    update unit u set has_organization = f.has_org, application_pending = f.pending, counted_members = f.counted
      from f
     where u.unit_id = f.unit_id
       and (u.has_organization, u.application_pending, u.counted_members)
           is distinct from (f.has_org, f.pending, f.counted)
$$;

-- The units an organisation counts for: its own, or those of a joint branch.
create function organization_units(organizations bigint[]) returns bigint[] language sql stable as $$
    select coalesce(array_agg(unit_id), '{}') from (
        select o.unit_id from organization o where o.organization_id = any(organizations) and o.unit_id is not null
        union
        select j.unit_id from organization_unit j where j.organization_id = any(organizations)
    ) u
$$;

create function organization_facts() returns trigger language plpgsql as $$
declare
    ids bigint[] := '{}';
begin
    if tg_op in ('UPDATE', 'DELETE') then
        ids := ids || array(select unit_id from old_rows where unit_id is not null)
                   || organization_units(array(select organization_id from old_rows));
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        ids := ids || array(select unit_id from new_rows where unit_id is not null)
                   || organization_units(array(select organization_id from new_rows));
    end if;
    perform refresh_unit_facts(ids);
    return null;
end $$;

create trigger organization_facts_insert after insert on organization
    referencing new table as new_rows for each statement execute function organization_facts();
create trigger organization_facts_update after update on organization
    referencing old table as old_rows new table as new_rows for each statement execute function organization_facts();
create trigger organization_facts_delete after delete on organization
    referencing old table as old_rows for each statement execute function organization_facts();

-- Joint-branch links, applications: the unit ids are in the rows themselves.
create function unit_id_facts() returns trigger language plpgsql as $$
declare
    ids bigint[] := '{}';
begin
    if tg_op in ('UPDATE', 'DELETE') then
        ids := ids || array(select unit_id from old_rows);
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        ids := ids || array(select unit_id from new_rows);
    end if;
    perform refresh_unit_facts(ids);
    return null;
end $$;

create trigger organization_unit_facts_insert after insert on organization_unit
    referencing new table as new_rows for each statement execute function unit_id_facts();
create trigger organization_unit_facts_update after update on organization_unit
    referencing old table as old_rows new table as new_rows for each statement execute function unit_id_facts();
create trigger organization_unit_facts_delete after delete on organization_unit
    referencing old table as old_rows for each statement execute function unit_id_facts();
create trigger formation_application_facts_insert after insert on formation_application
    referencing new table as new_rows for each statement execute function unit_id_facts();
create trigger formation_application_facts_update after update on formation_application
    referencing old table as old_rows new table as new_rows for each statement execute function unit_id_facts();
create trigger formation_application_facts_delete after delete on formation_application
    referencing old table as old_rows for each statement execute function unit_id_facts();

-- Members: the units of the organisations they joined or left.
create function member_facts() returns trigger language plpgsql as $$
declare
    organizations bigint[] := '{}';
begin
    if tg_op in ('UPDATE', 'DELETE') then
        organizations := organizations || array(select distinct organization_id from old_rows);
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        organizations := organizations || array(select distinct organization_id from new_rows);
    end if;
    perform refresh_unit_facts(organization_units(organizations));
    return null;
end $$;

create trigger member_facts_insert after insert on member
    referencing new table as new_rows for each statement execute function member_facts();
create trigger member_facts_update after update on member
    referencing old table as old_rows new table as new_rows for each statement execute function member_facts();
create trigger member_facts_delete after delete on member
    referencing old table as old_rows for each statement execute function member_facts();

-- Everything from scratch: after a bulk load, or to check the maintained totals.
create function refresh_survey_totals() returns void language plpgsql as $$
begin
    perform refresh_unit_facts(array(select unit_id from unit));
    delete from survey_total;
    perform survey_total_add(array(
        select row(e.survey_id, u.kind, e.status, e.members, e.youth, u.has_organization,
                   u.application_pending, u.counted_members, 1)::survey_part
          from survey_entry e join unit u using (unit_id)));
end $$;

select refresh_survey_totals();
