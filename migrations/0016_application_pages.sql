-- The applications page at province scale (issue 7): the queue and the list are paged by
-- keyset, and each page walks an index in its own order instead of sorting every match.

-- The committee's queue, oldest first.
create index formation_application_waiting on formation_application (submitted_at, formation_application_id)
    where state in ('submitted', 'resubmitted');

-- The list by state, newest first; and a unit's applications (a secretary's list).
create index formation_application_state_id on formation_application (state, formation_application_id);
create index formation_application_unit on formation_application (unit_id, formation_application_id);
