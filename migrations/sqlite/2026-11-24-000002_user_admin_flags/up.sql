-- The "org admins and site admins" filter: a handful of users among 100,000. Partial indexes
-- hold only them, so the filter reads a few index entries instead of every user; being partial,
-- they are invisible to every other query's plan. The filter writes the flags as the literal
-- TRUE (not a bound parameter) so that both planners can match these predicates.
CREATE INDEX org_users_org_admins ON org_users (tenant_id, generation, account_id) WHERE org_admin = TRUE;
CREATE INDEX org_users_site_admins ON org_users (tenant_id, generation, account_id) WHERE site_admin = TRUE;
