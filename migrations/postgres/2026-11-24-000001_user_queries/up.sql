-- What the user filters, the dashboard and exports need at 100,000 users.
-- Covering indexes: the filters read account ids straight from them.
DROP INDEX user_access_product;
CREATE INDEX user_access_scope ON user_access (tenant_id, generation, site_id, product_key, last_active, account_id);
DROP INDEX group_members_group;
CREATE INDEX group_members_group ON group_members (tenant_id, generation, group_id, account_id);
CREATE INDEX org_users_added ON org_users (tenant_id, generation, added_to_org);
CREATE INDEX org_users_name_lower ON org_users (tenant_id, generation, LOWER(name), account_id);
-- Billable users per product, site and day of last activity (or of joining, for never-active
-- access): the dashboard sums these instead of reading every access row. Derived from the
-- mirror; rebuilt whenever access_activity_state no longer matches mirror_state.
CREATE TABLE access_activity_days (
    tenant_id TEXT NOT NULL,
    generation BIGINT NOT NULL,
    site_id TEXT NOT NULL,
    product_key TEXT NOT NULL,
    day TIMESTAMP,
    users BIGINT NOT NULL
);
CREATE INDEX access_activity_days_tile ON access_activity_days (tenant_id, generation, site_id, product_key, day);
CREATE TABLE access_activity_state (
    tenant_id TEXT PRIMARY KEY NOT NULL,
    generation BIGINT NOT NULL,
    synced_at TIMESTAMP NOT NULL
);
