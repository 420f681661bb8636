ALTER TABLE operations DROP COLUMN actor_scope;
ALTER TABLE operations DROP COLUMN acting_as;
DROP TABLE api_tokens;
DROP TABLE access_control;
