-- An entry's tenant is the verified caller's, and purging a tenant deletes its entries
-- explicitly (the store's purge): the foreign key only cost every append a key-share lock on
-- the tenant's row.
ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_tenant_id_fkey;
