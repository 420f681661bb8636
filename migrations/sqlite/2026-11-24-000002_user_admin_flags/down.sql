DROP INDEX org_users_site_admins;
DROP INDEX org_users_org_admins;
