-- The roster's name search at province scale (issue 7; see BENCHMARKS.md).
--
-- A search of two or more characters finds names that contain it. The GIN index of each
-- name's characters (0014) intersected posting lists of hundreds of thousands of members
-- per common character (14 ms for a full name at 5M) and then sorted every candidate by
-- name. `member_search` holds each name's two-character pieces beside the name, so that a
-- search walks one piece's names in name order and stops when the page is full; counting
-- is bounded the same way. A one-character search is a surname: `member (name, member_id)`
-- answers it as a range.

create function name_bigrams(name text) returns text[]
    language sql immutable strict parallel safe
    return array(select distinct substr(name, i, 2) from generate_series(1, char_length(name) - 1) i);

create table member_search (
    gram      text   not null,
    name      text   not null,
    member_id bigint not null,
    primary key (gram, name, member_id)
);

-- Kept by statement-level triggers on member (rather than a foreign key, whose cascade
-- would need a second index on member_id): the rows of the names that came, changed or went.
create function member_search_sync() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        delete from member_search s
         using old_rows o, unnest(name_bigrams(o.name)) g
         where s.gram = g and s.name = o.name and s.member_id = o.member_id;
    elsif tg_op = 'INSERT' then
        insert into member_search (gram, name, member_id)
        select g, n.name, n.member_id from new_rows n, unnest(name_bigrams(n.name)) g;
    else
        delete from member_search s
         using old_rows o join new_rows n using (member_id), unnest(name_bigrams(o.name)) g
         where o.name <> n.name
           and s.gram = g and s.name = o.name and s.member_id = o.member_id;
        insert into member_search (gram, name, member_id)
        select g, n.name, n.member_id
          from old_rows o join new_rows n using (member_id), unnest(name_bigrams(n.name)) g
         where o.name <> n.name;
    end if;
    return null;
end $$;

create trigger member_search_insert after insert on member
    referencing new table as new_rows for each statement execute function member_search_sync();
create trigger member_search_update after update on member
    referencing old table as old_rows new table as new_rows for each statement execute function member_search_sync();
create trigger member_search_delete after delete on member
    referencing old table as old_rows for each statement execute function member_search_sync();

-- From scratch: after a bulk load that skipped the triggers, and for the existing roster.
-- The key is built after the rows, sorted once (faster and half the size of 11 million
-- single inserts at 5M members).
create function refresh_member_search() returns void language plpgsql as $$
begin
    alter table member_search drop constraint member_search_pkey;
    truncate member_search;
    insert into member_search (gram, name, member_id)
    select g, m.name, m.member_id from member m, unnest(name_bigrams(m.name)) g;
    alter table member_search add constraint member_search_pkey primary key (gram, name, member_id);
end $$;

select refresh_member_search();

drop index member_name_characters;
