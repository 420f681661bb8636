DROP TABLE access_activity_state;
DROP TABLE access_activity_days;
DROP INDEX org_users_name_lower;
DROP INDEX org_users_added;
DROP INDEX group_members_group;
CREATE INDEX group_members_group ON group_members (tenant_id, generation, group_id);
DROP INDEX user_access_scope;
CREATE INDEX user_access_product ON user_access (tenant_id, generation, site_id, product_key, last_active);
