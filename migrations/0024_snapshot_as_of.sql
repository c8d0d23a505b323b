-- A locked round's figures are as of its date (issue 14), not as of the day it was locked.
--
-- Migration 0021 copied each unit's facts as they stood at the lock, so a round as of
-- 2018-06-01 locked in 2026 counted the organisations approved and the applications decided
-- in between. The snapshot now reads each fact as it was at the end of the round's as-of day
-- (or of the lock's day, if that comes first), in the zone's local time:
-- - an organisation counts from its approval (or formation) date; one without either date
--   was recorded by an import as existing then, and counts;
-- - an application is pending when its last state change up to that day leaves it
--   submitted or resubmitted, or, with no change recorded by then, when it was submitted
--   by then (an import records the submission on the round's date and its event later);
-- - a unit is closed when its closing date is on or before that day;
-- - a roster counts the members who had joined by then and were active, or left later.
--   Members transferred since count where they are now: the roster keeps no dated record of
--   where a member was before a transfer.
-- The zone and its date are the transaction's `tuanjian.time_zone` and `tuanjian.today`
-- (db::survey::lock sets them from the server's clock); unset, Asia/Shanghai and now. Locking also recounts the round's kept totals and facets from the snapshot,
-- since they no longer equal the live counts they were kept from.

create or replace function survey_snapshot_take(round bigint) returns void language sql as $$
    with z as (
        select coalesce(nullif(current_setting('tuanjian.time_zone', true), ''), 'Asia/Shanghai') as tz
    ),
    r as (
        select s.survey_id, z.tz,
               least(s.as_of, coalesce(nullif(current_setting('tuanjian.today', true), '')::date,
                                       (now() at time zone z.tz)::date)) as day
          from survey s cross join z
         where s.survey_id = round
    ),
    -- the organisations whose members a unit counts: its own, or a joint branch's
    counting as (
        select o.unit_id, o.organization_id, o.approved_on, o.established_on
          from organization o where o.unit_id is not null
        union all
        select j.unit_id, o.organization_id, o.approved_on, o.established_on
          from organization_unit j join organization o on o.organization_id = j.organization_id
    ),
    formed as (
        select c.unit_id from counting c cross join r
         where coalesce(c.approved_on, c.established_on, r.day) <= r.day
         group by c.unit_id
    ),
    pending as (
        select a.unit_id from formation_application a cross join r
         where coalesce(
                 (select e.to_state from formation_application_event e
                   where e.formation_application_id = a.formation_application_id
                     and (e.occurred_at at time zone r.tz)::date <= r.day
                   order by e.occurred_at desc, e.formation_application_event_id desc
                   limit 1),
                 case when (a.submitted_at at time zone r.tz)::date <= r.day then 'submitted' end)
               in ('submitted', 'resubmitted')
         group by a.unit_id
    ),
    counted as (
        select c.unit_id, count(*)::integer as members
          from counting c join member m on m.organization_id = c.organization_id cross join r
         where m.joined_on <= r.day
           and (m.state = 'active'
                or exists (select 1 from member_event e
                            where e.member_id = m.member_id and e.from_state = 'active'
                              and (e.occurred_at at time zone r.tz)::date > r.day))
         group by c.unit_id
    )
    insert into survey_unit_snapshot (survey_id, unit_id, kind, status, closed, has_organization,
                                      application_pending, counted_members)
    select r.survey_id, u.unit_id, u.kind, u.status,
           u.closed_on is not null and u.closed_on <= r.day,
           f.unit_id is not null, p.unit_id is not null, coalesce(n.members, 0)
      from unit u cross join r
      left join formed f on f.unit_id = u.unit_id
      left join pending p on p.unit_id = u.unit_id
      left join counted n on n.unit_id = u.unit_id
    on conflict (survey_id, unit_id) do nothing
$$;

-- The round's kept totals and facets, counted again from its snapshot.
create function survey_recount_locked(round bigint) returns void language plpgsql as $$
begin
    delete from survey_total where survey_id = round;
    perform survey_total_add(array(
        select row(e.survey_id, f.kind, e.status, e.members, e.youth, f.has_organization,
                   f.application_pending, f.counted_members, 1)::survey_part
          from survey_entry e join survey_unit_snapshot f using (survey_id, unit_id)
         where e.survey_id = round));
    delete from unit_facet where survey_id = round;
    perform unit_facet_add(array(
        select row(f.survey_id, f.kind, coalesce(e.status, f.status), coalesce(e.members, 0),
                   f.has_organization, f.application_pending, f.closed, 1)::facet_part
          from survey_unit_snapshot f
          left join survey_entry e using (survey_id, unit_id)
         where f.survey_id = round));
end $$;

create or replace function survey_snapshot_on_lock() returns trigger language plpgsql as $$
begin
    perform survey_snapshot_take(new.survey_id);
    perform survey_recount_locked(new.survey_id);
    return null;
end $$;
