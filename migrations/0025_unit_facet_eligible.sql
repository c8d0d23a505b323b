-- The dashboard's formation campaign counts the units with 3 or more members (eligible),
-- with an organisation or without; its drill-downs list them on the units list, whose
-- kept facets (migration 0013) must then count them too. A unit's eligibility joins the
-- facts each kept row groups units by.

alter table unit_facet add column eligible boolean not null default false;
alter table unit_facet drop constraint unit_facet_pkey;
alter table unit_facet add primary key
    (survey_id, kind, status, has_members, has_organization, eligible_missing, pending, closed, eligible);

create or replace function unit_facet_add(parts facet_part[]) returns void language sql as $$
    insert into unit_facet as f (survey_id, kind, status, has_members, has_organization,
                                 eligible_missing, pending, closed, eligible, units)
    select p.survey_id, p.kind, coalesce(p.status, ''), coalesce(p.members, 0) > 0, p.has_org,
           coalesce(p.members, 0) >= 3 and not p.has_org, p.pending, p.closed,
           coalesce(p.members, 0) >= 3, sum(p.sign)
      from unnest(parts) p
     where exists (select 1 from survey s where s.survey_id = p.survey_id)
     group by 1, 2, 3, 4, 5, 6, 7, 8, 9
    on conflict (survey_id, kind, status, has_members, has_organization, eligible_missing,
                 pending, closed, eligible)
    do update set units = f.units + excluded.units
$$;

-- The kept rows so far did not tell eligible units apart: count them again.
select refresh_survey_totals();
