DROP TABLE group_grants;
DROP TABLE group_members;
DROP TABLE org_groups;
DROP TABLE user_access;
DROP TABLE org_users;
DROP TABLE site_products;
DROP TABLE sites;
DROP TABLE mirror_state;
