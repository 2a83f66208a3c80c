-- The review's bin: entities an update took off the board, with the links that went
-- with them and their map position (content, JSON), stored in the same transaction as
-- the update that removed them. No reference to reviews: the group commit that writes
-- a row must never fail on it.
create table bin_items (
    id           text    primary key,
    review_id    text    not null,
    document     text    not null,
    seq          bigint  not null,
    kind         text    not null,
    entity       text    not null,
    label        text    not null,
    content      text    not null,
    at_ms        bigint  not null,
    actor_kind   text    not null,
    actor_id     text    not null,
    actor_name   text    not null,
    actor_agency text    not null
);
create index bin_items_by_review on bin_items (review_id, at_ms);
