-- Audit entries a change's own statement writes, not yet linked (the store's `audit::pending`):
-- committed with the change, then moved into `audit_entries` through the chain head by the
-- next link of the tenant's trail. No key and no index, so carrying an entry costs the change
-- one heap row; the table stays near empty, since every read of the trail links it first.
CREATE TABLE audit_pending (
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    tenant_id TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    via TEXT NOT NULL,
    token_id BIGINT,
    summary TEXT NOT NULL,
    details TEXT NOT NULL,
    form SMALLINT NOT NULL
);
