-- Snapshots of a review's board, taken after meetings, and the pseudonymisation
-- register that every export applies.

create table snapshots (
    id           text    primary key,
    review_id    text    not null references reviews (id) on delete cascade,
    -- The document snapshotted (the review's board).
    document     text    not null,
    label        text    not null,
    -- The meeting of the timeline it records, if any.
    meeting_id   text,
    taken_at     bigint  not null,
    taken_by_kind text   not null,
    taken_by_id  text    not null,
    taken_by_name text   not null,
    -- The document's log position the state includes.
    seq          bigint  not null,
    -- The whole document as one Yjs update (lib0 v1), and its SHA-256 (hex).
    state        bytea   not null,
    content_hash text    not null
);
create index snapshots_by_review on snapshots (review_id, taken_at);

create function snapshots_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'snapshots are immutable';
end;
$$;

create trigger snapshots_no_change before update or delete or truncate on snapshots
    for each statement execute function snapshots_refuse_change();

-- Real names and identifying details with their pseudonyms (restricted to leads).
-- An entry with an empty pseudonym is a flagged term: never replaced, but listed by
-- the pre-publication check wherever it still appears.
create table register_entries (
    id         text    primary key,
    review_id  text    not null references reviews (id) on delete cascade,
    term       text    not null,
    pseudonym  text    not null default '',
    note       text    not null default '',
    created_at bigint  not null
);
create index register_by_review on register_entries (review_id);
