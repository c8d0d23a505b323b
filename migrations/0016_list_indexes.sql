-- Lists at province scale (issue 7): each page walks an index in its own order instead of
-- sorting every match, and the applications queue and list are paged by keyset.

-- The committee's queue, oldest first.
create index formation_application_waiting on formation_application (submitted_at, formation_application_id)
    where state in ('submitted', 'resubmitted');

-- The list by state, newest first; and a unit's applications (a secretary's list).
create index formation_application_state_id on formation_application (state, formation_application_id);
create index formation_application_unit on formation_application (unit_id, formation_application_id);

-- The members page offers an organisation list only while the scope holds 300 or fewer;
-- finding out walks the first 301 names instead of sorting every organisation.
create index organization_name on organization (name, organization_id);
