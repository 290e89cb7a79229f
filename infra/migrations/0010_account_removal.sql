-- Removing an account (`kraite accounts:remove`) keeps its row: positions, orders and balances
-- refer to it and stay as history. A removed account has trading off and a removal time; every
-- fleet job that walks accounts skips it.
ALTER TABLE accounts ADD COLUMN removed_at BIGINT NULL AFTER last_frame_at;
