-- The SQL mirror of the organization. Every row carries tenant_id and the sync generation that
-- wrote it; readers see only mirror_state.generation, so a running sync never shows half a mirror.
CREATE TABLE mirror_state (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    generation BIGINT NOT NULL,
    org_id TEXT NOT NULL,
    directory_id TEXT NOT NULL,
    synced_at TIMESTAMP NOT NULL
);
CREATE TABLE sites (
    tenant_id TEXT NOT NULL,
    generation BIGINT NOT NULL,
    site_id TEXT NOT NULL,
    name TEXT NOT NULL,
    host_url TEXT,
    PRIMARY KEY (tenant_id, generation, site_id)
);
CREATE TABLE site_products (
    tenant_id TEXT NOT NULL,
    generation BIGINT NOT NULL,
    site_id TEXT NOT NULL,
    product_key TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (tenant_id, generation, site_id, product_key)
);
CREATE TABLE org_users (
    tenant_id TEXT NOT NULL,
    generation BIGINT NOT NULL,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    email_domain TEXT,
    account_type TEXT NOT NULL,
    status TEXT NOT NULL,
    claim_status TEXT,
    billable BOOLEAN NOT NULL,
    org_admin BOOLEAN NOT NULL,
    site_admin BOOLEAN NOT NULL,
    user_access_admin BOOLEAN NOT NULL,
    platform_roles TEXT NOT NULL,
    management_source TEXT,
    added_to_org TIMESTAMP,
    last_active TIMESTAMP,
    PRIMARY KEY (tenant_id, generation, account_id)
);
CREATE INDEX org_users_last_active ON org_users (tenant_id, generation, last_active);
CREATE INDEX org_users_name ON org_users (tenant_id, generation, name);
CREATE INDEX org_users_email ON org_users (tenant_id, generation, email);
CREATE TABLE user_access (
    tenant_id TEXT NOT NULL,
    generation BIGINT NOT NULL,
    account_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    product_key TEXT NOT NULL,
    last_active TIMESTAMP,
    PRIMARY KEY (tenant_id, generation, account_id, site_id, product_key)
);
CREATE INDEX user_access_product ON user_access (tenant_id, generation, site_id, product_key, last_active);
CREATE TABLE org_groups (
    tenant_id TEXT NOT NULL,
    generation BIGINT NOT NULL,
    group_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    managed_by TEXT,
    external_synced BOOLEAN NOT NULL,
    modifiable BOOLEAN NOT NULL,
    deletable BOOLEAN NOT NULL,
    member_count BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, generation, group_id)
);
CREATE TABLE group_members (
    tenant_id TEXT NOT NULL,
    generation BIGINT NOT NULL,
    group_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, generation, account_id, group_id)
);
CREATE INDEX group_members_group ON group_members (tenant_id, generation, group_id);
CREATE TABLE group_grants (
    tenant_id TEXT NOT NULL,
    generation BIGINT NOT NULL,
    group_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    product_key TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (tenant_id, generation, group_id, site_id, product_key, role)
);
CREATE INDEX group_grants_product ON group_grants (tenant_id, generation, site_id, product_key);
