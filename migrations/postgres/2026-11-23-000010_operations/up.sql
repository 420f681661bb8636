-- Bulk operations: one row per operation, one ledger row per user × step, and the exemption list.
CREATE TABLE operations (
    id BIGSERIAL PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    state TEXT NOT NULL,
    phase TEXT NOT NULL,
    actions TEXT NOT NULL,
    reason TEXT,
    selection TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    revert_of BIGINT,
    total BIGINT NOT NULL DEFAULT 0,
    done BIGINT NOT NULL DEFAULT 0,
    skipped BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    error TEXT,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    heartbeat_at TIMESTAMP,
    lease_owner TEXT
);
CREATE INDEX operations_tenant ON operations (tenant_id, id);
CREATE INDEX operations_active ON operations (state);
CREATE TABLE operation_items (
    id BIGSERIAL PRIMARY KEY,
    operation_id BIGINT NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    action_index INTEGER NOT NULL,
    action TEXT NOT NULL,
    op TEXT NOT NULL,
    site_id TEXT,
    product_key TEXT,
    role TEXT,
    group_id TEXT,
    state TEXT NOT NULL,
    reason TEXT,
    error TEXT,
    before_image TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    source_item_id BIGINT,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX operation_items_ledger ON operation_items (operation_id, state, account_id, seq);
CREATE INDEX operation_items_user ON operation_items (tenant_id, account_id, id);
CREATE TABLE exemptions (
    tenant_id TEXT NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, kind, subject_id)
);
