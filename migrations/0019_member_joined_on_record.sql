-- Members already on record in the national system (智慧团建) may have joined at 13 (from
-- 2017) or at 12 (before): the roster import keeps them and marks them. The 14-year rule
-- of the 团章 for a new admission is the form's (domain::member::Admission); the database
-- keeps the floor of what any record may hold.
alter table member drop constraint member_joined_at_fourteen;
alter table member add constraint member_joined_at_twelve
    check (joined_on >= (birth_date + interval '12 years')::date - 31);
