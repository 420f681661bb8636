-- Incremental syncs: where the last full sync left the organization's events stream, a hash of
-- each mirrored user's content (row, access, memberships) so a sync writes only users that
-- changed, and what each run was (full, incremental, partial) and how many rows it wrote.
ALTER TABLE mirror_state ADD COLUMN events_cursor TEXT;
ALTER TABLE mirror_state ADD COLUMN reconciled_at TIMESTAMP;
ALTER TABLE org_users ADD COLUMN content_hash BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN mode TEXT NOT NULL DEFAULT 'full';
ALTER TABLE sync_runs ADD COLUMN rows_written BIGINT NOT NULL DEFAULT 0;
