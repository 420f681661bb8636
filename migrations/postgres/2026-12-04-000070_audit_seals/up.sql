-- Seals: a MAC of one entry's id and hash under a key derived from the master key (which the
-- database does not hold). An entry's hash covers every entry before it, so a seal vouches for
-- the tenant's trail up to that entry (see the store crate's README).
CREATE TABLE audit_seals (
    tenant_id TEXT NOT NULL,
    entry_id BIGINT NOT NULL,
    hash TEXT NOT NULL,
    mac TEXT NOT NULL,
    sealed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, entry_id)
);
