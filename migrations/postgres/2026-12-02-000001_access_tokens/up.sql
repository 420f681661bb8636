-- Who may use the app besides organization admins, and API tokens for REST clients.
CREATE TABLE access_control (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    product_admins BOOLEAN NOT NULL,
    user_access_admins BOOLEAN NOT NULL,
    scope TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_tenant ON api_tokens (tenant_id, id);
-- The rights an operation acts with: the requester's standing when it was created.
ALTER TABLE operations ADD COLUMN acting_as TEXT NOT NULL DEFAULT 'orgAdmin';
ALTER TABLE operations ADD COLUMN actor_scope TEXT;
