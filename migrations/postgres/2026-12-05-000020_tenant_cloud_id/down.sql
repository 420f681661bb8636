ALTER TABLE tenants DROP COLUMN cloud_id;
