-- The app's own license per tenant: the inputs last read and the grace start, recorded once.
CREATE TABLE license_states (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    edition TEXT NOT NULL,
    install_site_billable_users BIGINT NOT NULL,
    managed_users BIGINT NOT NULL,
    grace_started_at TIMESTAMP,
    marketplace_active BOOLEAN,
    marketplace_type TEXT,
    evaluated_at TIMESTAMP NOT NULL
);
