-- The chain heads again, from each tenant's newest entry (or its retention checkpoint).
CREATE TABLE audit_heads (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_heads (tenant_id, prev_hash, hash)
SELECT e.tenant_id, e.prev_hash, e.hash
FROM audit_entries e
WHERE e.id = (SELECT max(x.id) FROM audit_entries x WHERE x.tenant_id = e.tenant_id)
  AND e.tenant_id IN (SELECT client_key FROM tenants);
INSERT INTO audit_heads (tenant_id, prev_hash, hash)
SELECT c.tenant_id, c.hash, c.hash
FROM audit_checkpoints c
WHERE NOT EXISTS (SELECT 1 FROM audit_heads h WHERE h.tenant_id = c.tenant_id);
CREATE FUNCTION orgwarden_audit_append(
    p_tenant TEXT, p_genesis TEXT, p_digest TEXT, p_at TIMESTAMP, p_kind TEXT, p_actor_id TEXT,
    p_actor_name TEXT, p_via TEXT, p_token_id BIGINT, p_summary TEXT, p_details TEXT,
    p_form SMALLINT
) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    v_prev TEXT;
    v_hash TEXT;
    v_id BIGINT;
BEGIN
    INSERT INTO audit_heads AS h (tenant_id, prev_hash, hash)
    SELECT p_tenant, s.hash, encode(sha256(convert_to(s.hash || p_digest, 'UTF8')), 'hex')
    FROM (SELECT COALESCE(
        (SELECT c.hash FROM audit_checkpoints c WHERE c.tenant_id = p_tenant), p_genesis) AS hash) s
    ON CONFLICT (tenant_id) DO UPDATE
    SET prev_hash = h.hash, hash = encode(sha256(convert_to(h.hash || p_digest, 'UTF8')), 'hex')
    RETURNING h.prev_hash, h.hash INTO v_prev, v_hash;
    INSERT INTO audit_entries (tenant_id, at, kind, actor_id, actor_name, via, token_id, summary,
        details, form, prev_hash, hash)
    VALUES (p_tenant, p_at, p_kind, p_actor_id, p_actor_name, p_via, p_token_id, p_summary,
        p_details, p_form, v_prev, v_hash)
    RETURNING id INTO v_id;
    RETURN v_id;
END $$;
