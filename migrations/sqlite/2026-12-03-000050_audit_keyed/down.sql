-- Back to one id sequence for all tenants: an id another tenant already holds gets a new one
-- (form-1 entries, the only ones that hash their id, never share one).
CREATE TABLE audit_entries_lean (
    id INTEGER PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL,
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
    form SMALLINT NOT NULL DEFAULT 1
);
INSERT INTO audit_entries_lean
SELECT id, tenant_id, at, kind, actor_id, actor_name, via, token_id, summary, details, prev_hash,
    hash, form
FROM audit_entries e
WHERE e.tenant_id = (SELECT min(x.tenant_id) FROM audit_entries x WHERE x.id = e.id);
INSERT INTO audit_entries_lean (tenant_id, at, kind, actor_id, actor_name, via, token_id, summary,
    details, prev_hash, hash, form)
SELECT tenant_id, at, kind, actor_id, actor_name, via, token_id, summary, details, prev_hash,
    hash, form
FROM audit_entries e
WHERE e.tenant_id <> (SELECT min(x.tenant_id) FROM audit_entries x WHERE x.id = e.id)
ORDER BY e.tenant_id, e.id;
DROP TABLE audit_entries;
ALTER TABLE audit_entries_lean RENAME TO audit_entries;
CREATE INDEX audit_entries_tenant ON audit_entries (tenant_id, id);
CREATE INDEX audit_entries_kind ON audit_entries (tenant_id, kind, id);
CREATE INDEX audit_entries_actor ON audit_entries (tenant_id, actor_id, id);
