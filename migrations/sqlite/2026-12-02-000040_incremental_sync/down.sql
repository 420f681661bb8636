ALTER TABLE sync_runs DROP COLUMN rows_written;
ALTER TABLE sync_runs DROP COLUMN mode;
ALTER TABLE org_users DROP COLUMN content_hash;
ALTER TABLE mirror_state DROP COLUMN reconciled_at;
ALTER TABLE mirror_state DROP COLUMN events_cursor;
