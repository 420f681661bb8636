-- What the search box matches: the name and the email, lower-cased by the sync with Unicode's
-- rules and joined by a line break. SQLite's LIKE folds ASCII case only, so searching the raw
-- columns missed "Élodie" for "élodie" (and for "Élodie" too, once the pattern was lower-cased).
-- Existing mirrors get SQLite's ASCII LOWER here; their next sync writes the full folding.
ALTER TABLE org_users ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE org_users SET search_text = LOWER(name) || char(10) || LOWER(COALESCE(email, ''));
