DROP TABLE org_connections;
