-- Erasure after the retention period (PIPL art. 19 and 47, issue 18 item 7). A member who
-- has left (超龄离团, 离团, transferred out of the zone) keeps their resident ID and phone
-- only for the retention period after leaving (`--retention-years`, 3 by default); then
-- the hourly pass erases them: the ciphertexts, the blind index and the masked forms go,
-- and `erased_at` says when. The masked ID reads '已删除' from then on, so that every
-- list, export and certificate that shows the masked ID shows that in its place (it is
-- not null there, and its region code and last four digits are part of what is erased).
--
-- Kept: the name, sex, ethnicity, birth date, joining month, organisation, state and
-- history. The counts by state, age band and sex (the members page, the age lists, the
-- comparisons between rounds) read sex and birth date, and the organisation's record of
-- who was a member keeps the name and the history.

alter table member
    alter column resident_id_cipher drop not null,
    alter column resident_id_version drop not null,
    alter column resident_id_index drop not null,
    add column erased_at timestamptz;

alter table member add constraint member_erased check (
    case when erased_at is null
         then resident_id_cipher is not null and resident_id_version is not null
              and resident_id_index is not null and resident_id_masked <> '已删除'
         else resident_id_cipher is null and resident_id_version is null
              and resident_id_index is null and resident_id_masked = '已删除'
              and phone_cipher is null and phone_version is null and phone_masked is null
              and state <> 'active'
    end);

-- The members the hourly pass still has to look at: those who left and are not erased.
create index member_leaver_unerased on member (member_id)
    where state <> 'active' and erased_at is null;
