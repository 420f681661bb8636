-- Appends link to the tenant's newest entry again.
DROP TABLE audit_heads;
