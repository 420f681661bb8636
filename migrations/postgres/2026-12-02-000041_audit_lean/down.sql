ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_tenant_id_fkey
    FOREIGN KEY (tenant_id) REFERENCES tenants (client_key) ON DELETE CASCADE;
