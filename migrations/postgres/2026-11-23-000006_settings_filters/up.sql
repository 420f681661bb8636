CREATE TABLE tenant_settings (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    inactive_days BIGINT NOT NULL,
    sync_hour INTEGER NOT NULL,
    time_zone TEXT NOT NULL,
    seat_prices TEXT NOT NULL,
    last_daily_sync_on TEXT,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE saved_filters (
    id BIGSERIAL PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    name TEXT NOT NULL,
    filter TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX saved_filters_name ON saved_filters (tenant_id, name);
CREATE TABLE dashboard_snapshots (
    tenant_id TEXT NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    day TEXT NOT NULL,
    site_id TEXT NOT NULL,
    product_key TEXT NOT NULL,
    inactive_days BIGINT NOT NULL,
    active BIGINT NOT NULL,
    inactive BIGINT NOT NULL,
    total BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, day, site_id, product_key)
);
