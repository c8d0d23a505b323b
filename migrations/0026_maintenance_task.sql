-- One-off tasks the application runs once over data stored before a rule existed, each
-- recorded when done so that it never runs again (issue 15: names stored before the one
-- name normaliser are rewritten through it, `services::names`).

create table maintenance_task (
    task    text primary key,
    done_at timestamptz not null
);
