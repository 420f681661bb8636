-- The currency of the seat prices (ISO 4217), shown wherever money is.
ALTER TABLE tenant_settings ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
