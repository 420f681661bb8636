DROP INDEX org_users_search;
