-- The test gateway's ledger stands for an external gateway's records, which it now writes
-- through connections of its own, outside Recur's transactions (decisions.md §25). It keeps
-- no foreign key into Recur's tables: an external service has none, and the key's check
-- (a KEY SHARE lock on the workspace row) would make the gateway wait on a transaction of
-- ours that is itself waiting for the gateway, a wait PostgreSQL cannot see as a deadlock.
ALTER TABLE test_gateway_charges DROP CONSTRAINT test_gateway_charges_workspace_id_fkey;
