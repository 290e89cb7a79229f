-- The step engine's tables: two step sets (default, trading) side by side, their archives, events,
-- and dispatcher saturation counters. Times are epoch milliseconds (BIGINT). schema_migrations is
-- created and kept by the migrator (edge/adapters/mysql/migrator.ts), not here.
-- Migrations are split on ";" at line ends: no procedural SQL, no ";" inside literals.

CREATE TABLE default_steps (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  handler VARCHAR(191) NOT NULL,
  args JSON NOT NULL,
  state ENUM('pending','dispatched','running','completed','skipped','stopped','cancelled','failed','not_runnable') NOT NULL,
  tree_uuid CHAR(36) NOT NULL,
  block_uuid CHAR(36) NOT NULL,
  idx INT NOT NULL,
  parent_id BIGINT UNSIGNED NULL,
  child_block_uuid CHAR(36) NULL,
  lane VARCHAR(64) NOT NULL,
  priority INT NOT NULL DEFAULT 0,
  group_name ENUM('alpha','beta','gamma','delta','epsilon','zeta','eta','theta','iota','kappa') NOT NULL,
  dispatch_after BIGINT NOT NULL,
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  max_attempts INT UNSIGNED NOT NULL,
  backoff_ms INT UNSIGNED NOT NULL,
  is_throttled BOOLEAN NOT NULL DEFAULT FALSE,
  is_resolver BOOLEAN NOT NULL DEFAULT FALSE,
  dedupe_key VARCHAR(191) NULL,
  response JSON NULL,
  error_message TEXT NULL,
  error_stack TEXT NULL,
  started_at BIGINT NULL,
  completed_at BIGINT NULL,
  duration_ms BIGINT NULL,
  dispatched_at BIGINT NULL,
  stall_count INT UNSIGNED NOT NULL DEFAULT 0,
  worker VARCHAR(191) NULL,
  heartbeat_at BIGINT NULL,
  label VARCHAR(191) NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  -- NULL keys never clash, so only deduplicated blocks are constrained.
  UNIQUE KEY uq_dedupe (dedupe_key),
  -- The claim walks this index in claim order (non-throttled, priority desc, due, id) and stops at
  -- LIMIT, so SKIP LOCKED leaves every row it did not return to the next dispatcher. An index on
  -- (group_name, state, dispatch_after) would filesort, and a filesort locks every runnable row.
  KEY ix_claim (group_name, state, is_throttled, priority DESC, dispatch_after, id),
  -- Covering for the claim's "no blocking lower sibling" probe (state and kind read from the index).
  KEY ix_block (block_uuid, idx, state, is_resolver),
  KEY ix_parent (parent_id),
  -- Covers the archive's per-tree "all terminal, newest completion" scan, walked in tree order.
  KEY ix_tree (tree_uuid, state, completed_at),
  KEY ix_state_due (state, dispatch_after),
  KEY ix_state_heartbeat (state, heartbeat_at),
  KEY ix_state_dispatched (state, dispatched_at),
  KEY ix_handler (handler)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE trading_steps LIKE default_steps;

-- Archives keep the live ids (no auto-increment), let a dedupe key recur (a key freed by archiving
-- may be used again), and drop the dispatcher's indexes, which cold rows never need.
CREATE TABLE default_steps_archive LIKE default_steps;
ALTER TABLE default_steps_archive
  MODIFY id BIGINT UNSIGNED NOT NULL,
  DROP INDEX uq_dedupe, ADD KEY ix_dedupe (dedupe_key),
  DROP INDEX ix_claim, DROP INDEX ix_state_due, DROP INDEX ix_state_heartbeat, DROP INDEX ix_state_dispatched;
CREATE TABLE trading_steps_archive LIKE default_steps_archive;

CREATE TABLE step_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(64) NOT NULL,
  subject VARCHAR(191) NOT NULL,
  message TEXT NOT NULL,
  severity ENUM('info','warning','critical') NOT NULL,
  step_id BIGINT UNSIGNED NULL,
  step_set ENUM('default','trading') NULL,
  created_at BIGINT NOT NULL,
  KEY ix_subject (subject),
  KEY ix_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per (set, group, minute); recordSaturation upserts and adds to the counters.
CREATE TABLE dispatch_saturation (
  step_set ENUM('default','trading') NOT NULL,
  group_name ENUM('alpha','beta','gamma','delta','epsilon','zeta','eta','theta','iota','kappa') NOT NULL,
  minute BIGINT NOT NULL,
  ticks INT UNSIGNED NOT NULL DEFAULT 0,
  capped INT UNSIGNED NOT NULL DEFAULT 0,
  capped_with_leftover INT UNSIGNED NOT NULL DEFAULT 0,
  dispatched INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (step_set, group_name, minute),
  KEY ix_minute (step_set, minute)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
