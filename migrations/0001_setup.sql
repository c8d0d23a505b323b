-- Shared machinery: the updated_at trigger every table with an updated_at column uses.

create or replace function set_updated_at() returns trigger
language plpgsql as $$
begin
    new.updated_at := now();
    return new;
end;
$$;
