-- Appends no longer go through a chain head: each connection prepares the append as one
-- statement (the store's `audit::chain`), linked to the tenant's newest entry, and a
-- transaction-level advisory lock per tenant orders a tenant's appends.
DROP FUNCTION orgwarden_audit_append;
DROP TABLE audit_heads;
