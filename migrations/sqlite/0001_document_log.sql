-- The durable form of every board document: an append-only log of Yjs updates
-- plus at most one merged state per document that the log is compacted into.
--
-- Loading a document = its merged state (if any) followed by every update with a
-- higher seq. Compaction writes a new merged state and deletes the updates it
-- covers, in one transaction.

create table document_updates (
    document   text    not null,
    -- Assigned by the document's room, strictly increasing per document.
    seq        integer not null,
    -- One Yjs update, lib0 v1 encoding.
    data       blob    not null,
    created_at integer not null default (unixepoch()),
    primary key (document, seq)
) without rowid;

create table document_states (
    document   text    primary key,
    -- The highest update seq folded into this state.
    seq        integer not null,
    -- The whole document as one Yjs update, lib0 v1 encoding.
    data       blob    not null,
    updated_at integer not null default (unixepoch())
);
