-- Comments on board items: short threads kept beside the board, never in it, so they
-- stay out of snapshots, comparisons and every export. A thread is its first comment
-- and the replies that name it; resolving is a state of the thread's first comment.
create table comments (
    id             text    primary key,
    review_id      text    not null references reviews (id) on delete cascade,
    item_kind      text    not null,
    item_id        text    not null,
    thread_id      text    not null,
    body           text    not null,
    -- JSON array of the user ids mentioned, each a member of the review when written.
    mentions       text    not null,
    created_at     bigint  not null,
    author_kind    text    not null,
    author_id      text    not null,
    author_name    text    not null,
    author_agency  text    not null,
    resolved_at    bigint,
    resolved_by    text    not null default '',
    deleted_at     bigint
);
create index comments_by_review on comments (review_id, created_at);
create index comments_by_thread on comments (thread_id);

-- When each person last looked at a review's comments: anything newer is new to them.
create table comment_reads (
    review_id  text    not null references reviews (id) on delete cascade,
    user_id    text    not null references users (id) on delete cascade,
    seen_at    bigint  not null,
    primary key (review_id, user_id)
);
