-- Numbered alike with migrations/sqlite/0005, which rebuilds SQLite's audit_events
-- without AUTOINCREMENT. PostgreSQL's identity column has no such cost: nothing to do.
select 1;
