-- The units list filtered to units without an organisation, or to those that must form
-- one (3 or more members), by kind: at province scale nine in ten enterprises have an
-- organisation, and walking (kind, name) visited ten units for each one shown.
create index unit_without_organization on unit (kind, name, unit_id)
    where not has_organization and closed_on is null;
