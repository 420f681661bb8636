-- An operation's steps in plan order, one position each: results are read a page at a time
-- (`seq` from a position on) instead of sorting the whole ledger for every page.
CREATE UNIQUE INDEX operation_items_plan ON operation_items (operation_id, seq);
