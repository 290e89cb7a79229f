-- The live step tables' secondary indexes, cut to the ones a query needs and kept off the columns
-- every transition changes where a lock walks them (core/ARCHITECTURE.md, "Lock order"):
-- * ix_block loses `state` (and `is_resolver`): a finish locks its block through this index, then
--   the rows; with `state` in it, every state change also rewrote the entry, so a claim holding a
--   row waited for the entry a finishing sibling held while that sibling waited for the row
--   (deadlock). As (block_uuid, idx) + id it also yields `ORDER BY idx, id` without a filesort.
-- * ix_tree loses `state` and `completed_at` for the same reason: the archive locks trees through
--   it. Its per-tree "all terminal" check reads the rows instead (a background job).
-- * ix_state_heartbeat and ix_state_dispatched go: the stale scans read the few running or
--   dispatched rows through ix_state_due's `state` prefix, and every heartbeat, claim and dispatch
--   no longer rewrites two index entries.
-- Kept: ix_claim (the dispatcher's SKIP LOCKED claim, which never waits), ix_state_due (next due
-- time, stale scans, counts), uq_dedupe, ix_parent and ix_handler (written once, at insert).

ALTER TABLE default_steps
  DROP INDEX ix_block, ADD KEY ix_block (block_uuid, idx),
  DROP INDEX ix_tree, ADD KEY ix_tree (tree_uuid),
  DROP INDEX ix_state_heartbeat, DROP INDEX ix_state_dispatched;

ALTER TABLE trading_steps
  DROP INDEX ix_block, ADD KEY ix_block (block_uuid, idx),
  DROP INDEX ix_tree, ADD KEY ix_tree (tree_uuid),
  DROP INDEX ix_state_heartbeat, DROP INDEX ix_state_dispatched;
