DROP INDEX operation_items_plan;
