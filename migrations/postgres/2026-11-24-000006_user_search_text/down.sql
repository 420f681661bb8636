ALTER TABLE org_users DROP COLUMN search_text;
