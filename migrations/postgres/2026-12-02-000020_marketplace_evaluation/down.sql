ALTER TABLE license_states DROP COLUMN marketplace_evaluation;
