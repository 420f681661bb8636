-- A search's count reads every user of the generation: this index holds just the searched text,
-- so the count scans it (index-only) instead of the whole rows. On PostgreSQL at 100,000 users:
-- 29-33 ms -> 16 ms.
CREATE INDEX org_users_search ON org_users (tenant_id, generation, search_text);
