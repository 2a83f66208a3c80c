-- Reviews, the people in them, how they get in, and the audit trail.
--
-- Times are unix milliseconds (integers) so both databases store them alike.
-- Secrets (session ids, invitation links, access tokens) are stored only as their
-- SHA-256, so a copy of the database does not let anyone in.

create table users (
    id            text    primary key,
    -- The login name, lower-cased.
    email         text    not null unique,
    name          text    not null,
    agency        text    not null default '',
    job_title     text    not null default '',
    -- argon2id, PHC string format.
    password_hash text    not null,
    is_admin      boolean not null default false,
    -- Consecutive failed logins, and until when the account refuses logins.
    failed_logins bigint  not null default 0,
    locked_until  bigint  not null default 0,
    created_at    bigint  not null
);

create table sessions (
    token_hash   text    primary key,
    user_id      text    not null references users (id) on delete cascade,
    created_at   bigint  not null,
    expires_at   bigint  not null
);
create index sessions_by_user on sessions (user_id);

create table reviews (
    id                 text    primary key,
    title              text    not null,
    -- Pseudonymised, e.g. "Child A".
    case_ref           text    not null default '',
    kind               text    not null,
    variant            text    not null,
    period_start       text    not null default '',
    period_end         text    not null default '',
    -- One question per line.
    questions          text    not null default '',
    terms_of_reference text    not null default '',
    phase              text    not null,
    created_at         bigint  not null
);

create table memberships (
    review_id  text    not null references reviews (id) on delete cascade,
    user_id    text    not null references users (id) on delete cascade,
    role       text    not null,
    added_at   bigint  not null,
    primary key (review_id, user_id)
);
create index memberships_by_user on memberships (user_id);

create table invitations (
    id          text    primary key,
    token_hash  text    not null unique,
    review_id   text    not null references reviews (id) on delete cascade,
    role        text    not null,
    name        text    not null default '',
    email       text    not null default '',
    agency      text    not null default '',
    job_title   text    not null default '',
    created_by  text,
    created_at  bigint  not null,
    expires_at  bigint  not null,
    accepted_at bigint,
    accepted_by text
);

create table access_tokens (
    id          text    primary key,
    token_hash  text    not null unique,
    review_id   text    not null references reviews (id) on delete cascade,
    role        text    not null,
    label       text    not null default '',
    created_by  text,
    created_at  bigint  not null,
    expires_at  bigint  not null,
    revoked_at  bigint
);

-- The meeting timeline of a review.
create table meetings (
    id           text    primary key,
    review_id    text    not null references reviews (id) on delete cascade,
    position     bigint  not null,
    kind         text    not null,
    title        text    not null,
    -- ISO 8601 date or date-time, empty while unscheduled.
    scheduled_at text    not null default '',
    mode         text    not null default 'in_person',
    -- JSON array of user ids.
    attendees    text    not null default '[]',
    closed       boolean not null default false
);
create index meetings_by_review on meetings (review_id, position);

-- Restricted documents of a review (e.g. individual conversation notes): only their
-- participants and the lead reviewers may open them.
create table restricted_documents (
    review_id  text    not null references reviews (id) on delete cascade,
    -- The name inside the review, e.g. "notes/conversation-sw1".
    name       text    not null,
    title      text    not null,
    created_at bigint  not null,
    primary key (review_id, name)
);

create table document_participants (
    review_id text not null,
    name      text not null,
    user_id   text not null references users (id) on delete cascade,
    primary key (review_id, name, user_id),
    foreign key (review_id, name) references restricted_documents (review_id, name) on delete cascade
);

-- Append-only: who did what, when. Board edits get one row per entity field they touched.
create table audit_events (
    id           bigint generated always as identity primary key,
    at           bigint  not null,
    -- 'user', 'token' or 'system'.
    actor_kind   text    not null,
    actor_id     text    not null default '',
    actor_name   text    not null default '',
    actor_agency text    not null default '',
    review_id    text    not null default '',
    -- For edits: the document, and its log seq.
    document     text    not null default '',
    seq          bigint,
    -- e.g. 'edit', 'login', 'login_failed', 'invitation_created', 'role_changed'.
    action       text    not null,
    -- For edits: the entity (its id) and the field touched.
    entity       text    not null default '',
    entity_kind  text    not null default '',
    field        text    not null default '',
    detail       text    not null default ''
);
create index audit_by_entity on audit_events (document, entity, id);
create index audit_by_review on audit_events (review_id, id);

create function audit_events_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'the audit trail is append-only';
end;
$$;

create trigger audit_events_no_update before update or delete or truncate on audit_events
    for each statement execute function audit_events_refuse_change();
