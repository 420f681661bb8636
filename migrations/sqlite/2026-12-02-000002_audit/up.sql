-- The audit trail: one append-only, hash-chained list of entries per tenant (see the store
-- crate's README for the canonical form), and the hash retention deleted up to.
CREATE TABLE audit_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    via TEXT NOT NULL,
    token_id BIGINT,
    summary TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_entries_tenant ON audit_entries (tenant_id, id);
CREATE INDEX audit_entries_kind ON audit_entries (tenant_id, kind, id);
CREATE INDEX audit_entries_actor ON audit_entries (tenant_id, actor_id, id);
CREATE TABLE audit_checkpoints (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    entry_id BIGINT NOT NULL,
    hash TEXT NOT NULL,
    deleted_at TIMESTAMP NOT NULL
);
