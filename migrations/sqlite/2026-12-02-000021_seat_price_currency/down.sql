ALTER TABLE tenant_settings DROP COLUMN currency;
