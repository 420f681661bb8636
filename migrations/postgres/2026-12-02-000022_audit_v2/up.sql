-- Entries appended from now on are hashed in canonical form 2 (see the store crate's README);
-- the entries before keep form 1 and verify as they are.
ALTER TABLE audit_entries ADD COLUMN form SMALLINT NOT NULL DEFAULT 1;
-- Each tenant's chain head: an append advances it with one upsert, which queues concurrent
-- appends of the tenant on its row (each links to the one committed before it).
CREATE TABLE audit_heads (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_heads (tenant_id, prev_hash, hash)
SELECT e.tenant_id, e.prev_hash, e.hash
FROM audit_entries e
WHERE e.id = (SELECT max(x.id) FROM audit_entries x WHERE x.tenant_id = e.tenant_id);
