-- Terms a lead has reviewed and marked safe to publish (an agency, a role, a place):
-- the pre-publication check no longer lists them as possible names.
create table safe_terms (
    id         text    primary key,
    review_id  text    not null references reviews (id) on delete cascade,
    term       text    not null,
    created_at bigint  not null
);
create index safe_terms_by_review on safe_terms (review_id);
