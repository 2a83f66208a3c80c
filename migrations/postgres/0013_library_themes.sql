-- Themes an analyst makes in the findings library: a named group of published findings
-- from several reviews, with a memo (what recurs, what differs, what was recommended).
-- A theme names library findings; a finding whose set is withdrawn or replaced no
-- longer shows in it.
create table library_themes (
    id             text    primary key,
    name           text    not null,
    memo           text    not null,
    created_at     bigint    not null,
    created_by     text    not null,
    updated_at     bigint    not null
);

create table library_theme_findings (
    theme_id       text    not null references library_themes (id) on delete cascade,
    finding_id     text    not null references library_findings (id) on delete cascade,
    added_at       bigint    not null,
    added_by       text    not null,
    primary key (theme_id, finding_id)
);
