-- An invoice's workspace is already held to an existing one through its customer
-- (invoices → customers (workspace_id, id) → workspaces), so its own foreign key to
-- workspaces checked nothing new, and each check is a trigger call per inserted row: about a
-- tenth of the renewal engine's time in the database (decisions.md §21).
ALTER TABLE invoices DROP CONSTRAINT invoices_workspace_id_fkey;
