-- The words of a board text field as they were when a run of one person's changes to
-- it began (server/src/board/texts.rs): the history shows each run's words before and
-- after from them. Stored in the same transaction as the update that began the run;
-- as confidential as the board itself. Not part of the audit trail, which cannot be
-- changed: these may be deleted.
create table field_texts (
    document text not null,
    entity   text not null,
    field    text not null,
    seq      integer not null,
    at_ms    integer not null,
    text     text not null,
    primary key (document, entity, field, seq)
);
