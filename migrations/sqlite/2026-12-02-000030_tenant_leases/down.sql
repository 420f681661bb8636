DROP TABLE tenant_leases;
