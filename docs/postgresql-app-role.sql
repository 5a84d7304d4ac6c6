-- CareWatch on PostgreSQL: the app runs as a role that does not own its tables.
--
-- The owner of a table can disable its triggers (ALTER TABLE ... DISABLE TRIGGER), drop
-- them, or TRUNCATE it, and so rewrite the append-only audit log and signed reports.
-- So two roles: the owner runs the migrations (`carewatch manage migrate` with its
-- DATABASE_URL) and nothing else; the web servers and workers use `carewatch_app`,
-- which may read and write rows but not change tables, triggers or ownership.
-- Run this as the owner, in the CareWatch database, after the first `migrate`.
-- (tests/eyes/test_eyes_append_only.py runs this very file and checks the refusals.)

CREATE ROLE carewatch_app LOGIN PASSWORD 'change-me';
GRANT USAGE ON SCHEMA public TO carewatch_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO carewatch_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO carewatch_app;
-- Tables and sequences that later migrations create get the same rights.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO carewatch_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO carewatch_app;
