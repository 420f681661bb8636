DROP FUNCTION orgwarden_audit_append;
DROP TABLE audit_heads;
ALTER TABLE audit_entries DROP COLUMN form;
