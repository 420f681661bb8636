-- Entries appended from now on are hashed in canonical form 2 (see the store crate's README);
-- the entries before keep form 1 and verify as they are.
ALTER TABLE audit_entries ADD COLUMN form SMALLINT NOT NULL DEFAULT 1;
