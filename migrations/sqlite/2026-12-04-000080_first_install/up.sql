-- When the tenant first installed the app: a reinstall keeps it, so the days a never-evaluated
-- license may act do not start again. Earlier tenants start from their last install. (SQLite adds
-- a NOT NULL column only with a default; `tenants::install` always writes the column.)
ALTER TABLE tenants ADD COLUMN first_installed_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE tenants SET first_installed_at = installed_at;
