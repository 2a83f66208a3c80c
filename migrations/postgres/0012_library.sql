-- The partnership's findings library: each review's agreed findings as a lead published
-- them from a snapshot, pseudonymised, with their codes. A set is one publication of a
-- review; withdrawing or replacing it keeps it (withdrawn_at), so the history stays.

-- Who may read the library beyond the leads: `reader`, or `analyst` (who may also
-- export and manage themes). Given by an administrator.
create table library_readers (
    user_id        text    primary key references users (id) on delete cascade,
    role           text    not null,
    granted_by     text    not null,
    granted_at     bigint    not null
);

create table library_sets (
    id             text    primary key,
    review_id      text    not null references reviews (id) on delete cascade,
    snapshot_id    text    not null,
    -- 1, 2, ... for each review.
    version        bigint    not null,
    -- The case by the name it goes by, through the review's register.
    case_name      text    not null,
    review_kind    text    not null,
    variant        text    not null,
    year           bigint    not null,
    partnership    text    not null,
    finding_count  bigint    not null,
    published_at   bigint    not null,
    published_by   text    not null,
    withdrawn_at   bigint,
    withdrawn_by   text,
    -- The set that replaced it, when it was replaced rather than withdrawn.
    replaced_by    text
);
create unique index library_set_versions on library_sets (review_id, version);
-- At most one current set per review, however two leads race.
create unique index library_current_sets on library_sets (review_id) where withdrawn_at is null;

create table library_findings (
    id             text    primary key,
    set_id         text    not null references library_sets (id) on delete cascade,
    review_id      text    not null,
    position       bigint    not null,
    reference      text    not null,
    statement      text    not null,
    in_case        text    not null,
    underlying     text    not null,
    widespread     text    not null,
    matters        text    not null,
    questions      text    not null,
    category       text    not null,
    secondary_category text    not null,
    effect         text    not null,
    -- JSON: the agencies, the factors ({title, level, type}) and the recommendations
    -- ({type, text}) as published.
    agencies       text    not null,
    factors        text    not null,
    recommendations text    not null,
    -- Full-text search with English stemming: the database's own engine.
    search         tsvector    not null
);
create index library_findings_by_set on library_findings (set_id, position);
create index library_findings_search on library_findings using gin (search);

-- One row per code a finding carries, for facets and matrices: `category` (its first
-- and second typology category), `effect`, `level`, `factor_type`, `agency`,
-- `recommendation_type`.
create table library_codes (
    finding_id     text    not null references library_findings (id) on delete cascade,
    review_id      text    not null,
    facet          text    not null,
    code           text    not null,
    primary key (finding_id, facet, code)
);
create index library_codes_by_code on library_codes (facet, code, review_id);
