-- The two largest mirror tables (about 7 access rows and 9 memberships per user) become
-- WITHOUT ROWID: the primary key is the table, so each row is one B-tree entry fewer to write
-- during a sync, the file shrinks by a quarter, and primary-key probes read the row directly.
CREATE TABLE user_access_keyed (
    tenant_id TEXT NOT NULL,
    generation BIGINT NOT NULL,
    account_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    product_key TEXT NOT NULL,
    last_active TIMESTAMP,
    PRIMARY KEY (tenant_id, generation, account_id, site_id, product_key)
) WITHOUT ROWID;
INSERT INTO user_access_keyed SELECT tenant_id, generation, account_id, site_id, product_key, last_active FROM user_access;
DROP TABLE user_access;
ALTER TABLE user_access_keyed RENAME TO user_access;
CREATE INDEX user_access_scope ON user_access (tenant_id, generation, site_id, product_key, last_active, account_id);

CREATE TABLE group_members_keyed (
    tenant_id TEXT NOT NULL,
    generation BIGINT NOT NULL,
    group_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, generation, account_id, group_id)
) WITHOUT ROWID;
INSERT INTO group_members_keyed SELECT tenant_id, generation, group_id, account_id FROM group_members;
DROP TABLE group_members;
ALTER TABLE group_members_keyed RENAME TO group_members;
CREATE INDEX group_members_group ON group_members (tenant_id, generation, group_id, account_id);
