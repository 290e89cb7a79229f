-- ix_state_due (state, dispatch_after) goes: `state` leads it, so every transition of every step
-- (dispatch, claim, finish) deleted and re-inserted its entry, beside ix_claim's. What it served:
-- * the next due time (pending steps due after now) walks ix_due (dispatch_after) in order and stops
--   at the first pending row; only a deferral or a retry moves dispatch_after, so the claim and the
--   finish no longer touch it;
-- * the stale scans (running / dispatched) name every group and walk ix_claim (group_name, state, …):
--   one short range per group over the few in-flight rows (core/adapters/sql/step-scan-sql.ts);
-- * countByState scans ix_claim whole, as it scanned ix_state_due (an operator and test read).
-- After this the only live-table index that carries `state` is ix_claim, which the dispatcher's
-- SKIP LOCKED claim needs.

ALTER TABLE default_steps DROP INDEX ix_state_due, ADD KEY ix_due (dispatch_after);
ALTER TABLE trading_steps DROP INDEX ix_state_due, ADD KEY ix_due (dispatch_after);
