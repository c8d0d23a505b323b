-- A password an administrator set is known to someone besides its owner (issue 14 item 10):
-- the owner must replace it at the next sign-in, before any other page. Changing one's own
-- password clears the mark; an administrator's reset sets it again.
alter table account add column must_change_password boolean not null default false;
