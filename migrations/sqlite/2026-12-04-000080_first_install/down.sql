ALTER TABLE tenants DROP COLUMN first_installed_at;
