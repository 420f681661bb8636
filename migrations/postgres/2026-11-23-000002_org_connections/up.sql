CREATE TABLE org_connections (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    org_id TEXT NOT NULL,
    org_name TEXT NOT NULL,
    api_key_enc TEXT NOT NULL,
    key_hint TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
