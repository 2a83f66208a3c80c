-- Several `board serve` processes on one database form a cluster (docs/cluster.md).
-- SQLite has no such tables: it serves one process only.

-- Every node that has started, with its heartbeat. Database time only (`now()`), so
-- every node judges staleness by one clock.
create table cluster_nodes (
    id           text        primary key,
    -- Where the other nodes reach it: its --advertise URL, or its --listen address.
    address      text        not null,
    started_at   timestamptz not null default now(),
    heartbeat_at timestamptz not null default now(),
    -- Set when it shut down gracefully: its documents may be claimed at once.
    left_at      timestamptz
);

-- Who serves each open document. `epoch` grows by one at every claim; a node's commit
-- for the document is stored only while the row still names it with the epoch it
-- claimed (the fence, checked in the commit's own transaction).
create table document_owners (
    document   text        primary key,
    -- NULL once released (the room went idle or its node shut down).
    owner_node text,
    epoch      bigint      not null,
    -- The highest seq its owners have committed (for checks; the log is the truth).
    head       bigint      not null default 0,
    claimed_at timestamptz not null default now()
);
create index document_owners_by_node on document_owners (owner_node);

-- The secret the nodes sign their internal connections with, made by the first node
-- that starts (one row).
create table cluster_secret (
    id     integer primary key check (id = 1),
    secret text    not null
);
