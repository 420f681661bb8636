-- The primary key is (tenant, id): it serves the tenant's newest-first pages, so the separate
-- (tenant, id) index goes. The actor index goes too: each index is one more insert in every
-- change's transaction, and the newest entries of one actor are found by walking the tenant's
-- entries newest first. Ids stay one sequence for all tenants.
ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_pkey;
ALTER TABLE audit_entries ADD PRIMARY KEY (tenant_id, id);
DROP INDEX audit_entries_tenant;
DROP INDEX audit_entries_actor;
