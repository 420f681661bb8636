-- Entries are keyed by (tenant, id) in a table without rowid, and ids count per tenant: an
-- append reads the tenant's newest entry (its id and hash) and inserts the next one on the same
-- page, so the table is one tree instead of a table and a (tenant, id) index. The actor index
-- goes too: each index is one more page written by every change, and the newest entries of one
-- actor are found by walking the tenant's entries newest first. Ids keep their values (form 1
-- hashes them); a tenant's next id follows its newest entry, or the retention checkpoint's.
CREATE TABLE audit_entries_keyed (
    tenant_id TEXT NOT NULL,
    id INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    via TEXT NOT NULL,
    token_id BIGINT,
    summary TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    form SMALLINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
INSERT INTO audit_entries_keyed
SELECT tenant_id, id, at, kind, actor_id, actor_name, via, token_id, summary, details, prev_hash,
    hash, form
FROM audit_entries;
DROP TABLE audit_entries;
ALTER TABLE audit_entries_keyed RENAME TO audit_entries;
CREATE INDEX audit_entries_kind ON audit_entries (tenant_id, kind, id);
