-- Whether Jira reports the app's Marketplace licence as an evaluation (trial).
ALTER TABLE license_states ADD COLUMN marketplace_evaluation BOOLEAN;
