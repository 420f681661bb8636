DROP TABLE audit_heads;
ALTER TABLE audit_entries DROP COLUMN form;
