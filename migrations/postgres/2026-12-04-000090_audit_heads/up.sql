-- Each tenant's chain head, which an append advances and links to in one statement (the store's
-- `audit::chain`): the upsert of the head's row queues a tenant's concurrent appends, each linked
-- to the one committed before it, without a separate lock statement or a look-up of the newest
-- entry. No foreign key (as `audit_entries`): the purge deletes a tenant's head explicitly.
CREATE TABLE audit_heads (
    tenant_id TEXT PRIMARY KEY NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_heads (tenant_id, prev_hash, hash)
SELECT DISTINCT ON (e.tenant_id) e.tenant_id, e.prev_hash, e.hash
FROM audit_entries e
ORDER BY e.tenant_id, e.id DESC;
-- A trail that retention deleted whole continues from its checkpoint.
INSERT INTO audit_heads (tenant_id, prev_hash, hash)
SELECT c.tenant_id, c.hash, c.hash
FROM audit_checkpoints c
WHERE NOT EXISTS (SELECT 1 FROM audit_heads h WHERE h.tenant_id = c.tenant_id);
