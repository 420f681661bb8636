-- Webhooks (secrets AES-256-GCM encrypted), their outbox of deliveries (one per event and
-- webhook; the id is the `webhook-id` header), each attempt's log, and the notices already sent
-- (so a threshold such as "the key expires in 7 days" fires once).
CREATE TABLE webhooks (
    id BIGSERIAL PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret_enc TEXT NOT NULL,
    notes TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    disabled_reason TEXT,
    failing_since TIMESTAMP,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id, id);
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    state TEXT NOT NULL,
    next_attempt_at TIMESTAMP,
    retry_until TIMESTAMP NOT NULL,
    lease_owner TEXT,
    lease_until TIMESTAMP,
    last_status_code INTEGER,
    last_duration_ms BIGINT,
    last_attempt_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);
CREATE TABLE webhook_attempts (
    id BIGSERIAL PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    status_code INTEGER,
    duration_ms BIGINT NOT NULL,
    response TEXT,
    error TEXT,
    next_attempt_at TIMESTAMP
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt);
CREATE TABLE webhook_notices (
    tenant_id TEXT NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    notice TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, notice)
);
