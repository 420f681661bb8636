DROP TABLE dashboard_snapshots;
DROP TABLE saved_filters;
DROP TABLE tenant_settings;
