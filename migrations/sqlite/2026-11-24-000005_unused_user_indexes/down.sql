CREATE INDEX org_users_name ON org_users (tenant_id, generation, name);
CREATE INDEX org_users_email ON org_users (tenant_id, generation, email);
