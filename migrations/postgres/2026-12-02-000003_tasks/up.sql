-- Automated tasks: a saved filter, actions and a schedule, acting as the org admin who last
-- saved it. A run is an operation with the task's id, a process id (UUID), and whether it was
-- a dry run or started late.
CREATE TABLE tasks (
    id BIGSERIAL PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (client_key) ON DELETE CASCADE,
    name TEXT NOT NULL,
    saved_filter_id BIGINT NOT NULL,
    actions TEXT NOT NULL,
    reason TEXT,
    schedule TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    dry_run_only BOOLEAN NOT NULL,
    next_run_at TIMESTAMP,
    acting_admin TEXT NOT NULL,
    inactive_reason TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tasks_tenant ON tasks (tenant_id, id);
CREATE INDEX tasks_filter ON tasks (tenant_id, saved_filter_id);
CREATE INDEX tasks_due ON tasks (active, next_run_at);
ALTER TABLE operations ADD COLUMN task_id BIGINT;
ALTER TABLE operations ADD COLUMN process_id TEXT;
ALTER TABLE operations ADD COLUMN dry_run BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE operations ADD COLUMN late BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX operations_task ON operations (tenant_id, task_id, id);
CREATE UNIQUE INDEX operations_process ON operations (process_id);
