-- Photos and documents of an activity (issue 16 item 1). The bytes are stored in the
-- database (bytea), as application attachments are, not on disk: they are outside the
-- web root by construction, reach the browser only through the scoped routes, and one
-- pg_dump backs them up with the records they belong to. A photo keeps its thumbnail
-- (longest side 320 px, made at upload) beside it, so that the activity page's grid
-- never decodes the original.

create table activity_file (
    activity_file_id bigint generated always as identity primary key,
    activity_id      bigint not null references activity on delete cascade,
    kind             text not null check (kind in ('photo', 'document')),
    file_name        text not null check (btrim(file_name) <> '' and char_length(file_name) <= 120),
    content_type     text not null,
    size_bytes       integer not null check (size_bytes > 0),
    content          bytea not null,
    thumbnail        bytea,
    uploaded_by      bigint references account,
    uploaded_at      timestamptz not null default now(),
    constraint activity_file_thumbnail check ((kind = 'photo') = (thumbnail is not null))
);

create index activity_file_activity on activity_file (activity_id, activity_file_id);
