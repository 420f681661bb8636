-- What the search box matches: the name and the email, lower-cased by the sync with Unicode's
-- rules and joined by a line break. The same column on both backends, so a search matches the
-- same users whatever the database's locale (LOWER folds only ASCII under the C locale).
-- Existing mirrors get LOWER here; their next sync writes the sync's folding.
ALTER TABLE org_users ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE org_users SET search_text = LOWER(name) || chr(10) || LOWER(COALESCE(email, ''));
