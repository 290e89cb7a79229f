-- The step engine's tables: two step sets (default, trading) side by side, their archives,
-- events, and dispatcher saturation counters. Times are epoch milliseconds (BIGINT).

CREATE TABLE default_steps (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  handler VARCHAR(191) NOT NULL,
  args JSON NOT NULL,
  state ENUM('pending','dispatched','running','completed','skipped','stopped','cancelled','failed','not_runnable') NOT NULL,
  tree_uuid CHAR(36) NOT NULL,
  block_uuid CHAR(36) NOT NULL,
  idx INT UNSIGNED NOT NULL,
  parent_id BIGINT UNSIGNED NULL,
  child_block_uuid CHAR(36) NULL,
  lane VARCHAR(64) NOT NULL,
  priority INT NOT NULL DEFAULT 0,
  group_name ENUM('alpha','beta','gamma','delta','epsilon','zeta','eta','theta','iota','kappa') NOT NULL,
  dispatch_after BIGINT NOT NULL,
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  max_attempts INT UNSIGNED NOT NULL,
  backoff_ms INT UNSIGNED NOT NULL,
  is_throttled TINYINT(1) NOT NULL DEFAULT 0,
  is_resolver TINYINT(1) NOT NULL DEFAULT 0,
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
  UNIQUE KEY uq_dedupe (dedupe_key),
  KEY ix_claim (group_name, state, is_throttled, priority DESC, dispatch_after, id),
  KEY ix_block (block_uuid, idx),
  KEY ix_parent (parent_id),
  KEY ix_tree (tree_uuid),
  KEY ix_state_due (state, dispatch_after),
  KEY ix_state_heartbeat (state, heartbeat_at),
  KEY ix_state_dispatched (state, dispatched_at),
  KEY ix_handler (handler, created_at),
  KEY ix_label (label)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE trading_steps LIKE default_steps;

CREATE TABLE default_steps_archive LIKE default_steps;
ALTER TABLE default_steps_archive MODIFY id BIGINT UNSIGNED NOT NULL, DROP INDEX uq_dedupe, ADD KEY ix_dedupe (dedupe_key);
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

CREATE TABLE dispatch_saturation (
  step_set ENUM('default','trading') NOT NULL,
  group_name ENUM('alpha','beta','gamma','delta','epsilon','zeta','eta','theta','iota','kappa') NOT NULL,
  minute BIGINT NOT NULL,
  ticks INT UNSIGNED NOT NULL DEFAULT 0,
  capped INT UNSIGNED NOT NULL DEFAULT 0,
  capped_with_leftover INT UNSIGNED NOT NULL DEFAULT 0,
  dispatched INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (step_set, group_name, minute)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
