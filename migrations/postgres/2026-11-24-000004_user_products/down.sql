DROP INDEX org_users_domain;
DROP INDEX org_users_products;
ALTER TABLE org_users DROP COLUMN products;
