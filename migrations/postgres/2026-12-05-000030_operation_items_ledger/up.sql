-- An operation's steps in one state, in plan order: pages of the steps filtered by an outcome
-- (`state` from a plan position on) read this range instead of walking the whole ledger for an
-- outcome few steps have. Nothing read the old index's account order.
DROP INDEX operation_items_ledger;
CREATE INDEX operation_items_ledger ON operation_items (operation_id, state, seq);
