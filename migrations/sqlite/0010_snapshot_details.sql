-- A snapshot keeps the review's details and people as they were when it was taken
-- (JSON, server/src/review/records.rs FrozenDetails), so that its report says what the
-- review said then. Empty for snapshots taken before this column: their report reads
-- the live review.
alter table snapshots add column details text not null default '';
