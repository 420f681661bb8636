CREATE TABLE sync_runs (
    id BIGSERIAL PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    phase TEXT NOT NULL,
    users BIGINT NOT NULL DEFAULT 0,
    groups BIGINT NOT NULL DEFAULT 0,
    sites BIGINT NOT NULL DEFAULT 0,
    requests BIGINT NOT NULL DEFAULT 0,
    account_ids TEXT,
    generation BIGINT NOT NULL,
    error TEXT,
    requested_by TEXT,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    heartbeat_at TIMESTAMP
);
CREATE INDEX sync_runs_tenant ON sync_runs (tenant_id, id);
-- One sync per tenant at a time.
CREATE UNIQUE INDEX sync_runs_one_active ON sync_runs (tenant_id) WHERE state IN ('queued', 'running');
