-- Indexes the province-scale plans need (issue 7; see BENCHMARKS.md).

-- The tree is read one level at a time, by name.
create index organization_children on organization (parent_id, name, organization_id);

-- The zone-wide roster and its search walk members in name order.
create index member_name on member (name, member_id);

-- The reminder list walks the units without an organisation or a waiting application by
-- name: a small share of the zone.
create index unit_reminder_candidates on unit (name, unit_id)
    where not has_organization and not application_pending and closed_on is null;

-- The roster's name search: the characters of each name (Chinese names are a few
-- characters; trigrams would need a locale that knows them).
create index member_name_characters on member using gin (regexp_split_to_array(name, ''));
