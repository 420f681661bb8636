-- The Jira site's cloud id, as the `installed` callback sends it: a saved Organization API key
-- must belong to the organization that owns this site (its workspaces name it).
ALTER TABLE tenants ADD COLUMN cloud_id TEXT;
