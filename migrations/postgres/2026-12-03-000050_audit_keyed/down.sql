CREATE INDEX audit_entries_actor ON audit_entries (tenant_id, actor_id, id);
CREATE INDEX audit_entries_tenant ON audit_entries (tenant_id, id);
ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_pkey;
ALTER TABLE audit_entries ADD PRIMARY KEY (id);
