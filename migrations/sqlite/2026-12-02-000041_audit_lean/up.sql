-- An entry's tenant is the verified caller's, and purging a tenant deletes its entries
-- explicitly (the store's purge): the table drops its foreign key, and AUTOINCREMENT (ids are
-- not hashed, so a reused id after a purge harms nothing), whose counter row was one more page
-- written by every append.
CREATE TABLE audit_entries_lean (
    id INTEGER PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    via TEXT NOT NULL,
    token_id BIGINT,
    summary TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    form SMALLINT NOT NULL DEFAULT 1
);
INSERT INTO audit_entries_lean
SELECT id, tenant_id, at, kind, actor_id, actor_name, via, token_id, summary, details, prev_hash,
    hash, form
FROM audit_entries;
DROP TABLE audit_entries;
ALTER TABLE audit_entries_lean RENAME TO audit_entries;
CREATE INDEX audit_entries_tenant ON audit_entries (tenant_id, id);
CREATE INDEX audit_entries_kind ON audit_entries (tenant_id, kind, id);
CREATE INDEX audit_entries_actor ON audit_entries (tenant_id, actor_id, id);
