DROP TABLE license_states;
