-- One Admin API budget per tenant across processes: the job holding a tenant's row (until
-- `lease_until`, renewed while it runs) is the only one using the tenant's API; the others wait.
CREATE TABLE tenant_leases (
    tenant_id TEXT PRIMARY KEY NOT NULL,
    owner TEXT NOT NULL,
    lease_until TIMESTAMP NOT NULL
);
