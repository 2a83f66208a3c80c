-- Agencies' chronologies. Each imported file is kept with the mapping it was read by
-- and the rows it could not read; its entries are kept as imported. A correction is
-- a new version of an entry: the old version stays, superseded, so who imported what
-- and who changed it afterwards can always be shown.
create table chronology_imports (
    id             text    primary key,
    review_id      text    not null references reviews (id) on delete cascade,
    agency         text    not null,
    file_name      text    not null,
    -- "csv" or "xlsx".
    file_kind      text    not null,
    -- JSON: the columns chosen (server/src/chronology/rows.rs Mapping).
    mapping        text    not null,
    entry_count    bigint    not null,
    -- JSON: the rows left out, each with its row number, column, value and reason.
    bad_rows       text    not null,
    imported_at    bigint    not null,
    imported_by    text    not null
);
create index chronology_imports_by_review on chronology_imports (review_id, imported_at);

create table chronology_entries (
    -- This version.
    id             text    primary key,
    -- The entry across its versions; what episodes and discrepancies name.
    entry_id       text    not null,
    version        bigint    not null,
    review_id      text    not null references reviews (id) on delete cascade,
    import_id      text    not null references chronology_imports (id) on delete cascade,
    row_number     bigint    not null,
    agency         text    not null,
    -- The agency's name compared ignoring case, spaces and punctuation.
    agency_key     text    not null,
    -- ISO of its precision: 2025-07-02, 2025-07 or 2025.
    date           text    not null,
    approximate    bigint    not null,
    -- HH:MM, or empty.
    time           text    not null,
    sort_key       text    not null,
    role           text    not null,
    event          text    not null,
    source         text    not null,
    created_at     bigint    not null,
    created_by     text    not null,
    -- Why a correction was made (empty for the imported version).
    note           text    not null default '',
    superseded_at  bigint
);
create unique index chronology_entry_versions on chronology_entries (entry_id, version);
create index chronology_entries_in_order on chronology_entries (review_id, sort_key, agency_key, row_number);

-- The columns last chosen for each agency's files, offered for its next file.
create table chronology_mappings (
    agency_key     text    primary key,
    mapping        text    not null,
    updated_at     bigint    not null
);

-- Entries that disagree (or an event one agency records and another does not), to be
-- explored in the conversations with the case group.
create table chronology_discrepancies (
    id             text    primary key,
    review_id      text    not null references reviews (id) on delete cascade,
    -- JSON array of the entry ids concerned.
    entries        text    not null,
    note           text    not null,
    created_at     bigint    not null,
    created_by     text    not null,
    resolved_at    bigint,
    resolution     text    not null default ''
);
create index chronology_discrepancies_by_review on chronology_discrepancies (review_id, created_at);
