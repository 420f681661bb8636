-- Never read: names and emails are sorted and searched lower-cased (org_users_name_lower
-- serves the name order), and imports match emails in memory. Each cost a B-tree insert per
-- user on every sync.
DROP INDEX org_users_name;
DROP INDEX org_users_email;
