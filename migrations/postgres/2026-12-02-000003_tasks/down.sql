DROP INDEX operations_process;
DROP INDEX operations_task;
ALTER TABLE operations DROP COLUMN late;
ALTER TABLE operations DROP COLUMN dry_run;
ALTER TABLE operations DROP COLUMN process_id;
ALTER TABLE operations DROP COLUMN task_id;
DROP TABLE tasks;
