DROP INDEX operation_items_ledger;
CREATE INDEX operation_items_ledger ON operation_items (operation_id, state, account_id, seq);
