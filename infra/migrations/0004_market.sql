-- Market intelligence (shared/spec/market.md): stored klines, indicator readouts and direction
-- conclusions, the hourly market-regime snapshots with their sub-signals, the operator override
-- audit, the fleet-wide cooldown state and one-minute shocks. Times are epoch ms (BIGINT).
-- Prices are DECIMAL(36,18) strings as in 0002; regime readings are statistics, stored as
-- DECIMAL(36,18) written from fixed-point text so both stores read back the same value.
-- Split on ";" at line ends: no procedural SQL, no ";" inside literals.

-- Closed candles per symbol and interval (15m basket, 1h, 4h, 1d). Only closed candles are stored,
-- so a row never changes once written; the unique key makes refetching idempotent.
CREATE TABLE klines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  exchange VARCHAR(32) NOT NULL,
  symbol VARCHAR(32) NOT NULL,
  timeframe VARCHAR(8) NOT NULL,
  open_time BIGINT NOT NULL,
  close_time BIGINT NOT NULL,
  open DECIMAL(36,18) NOT NULL,
  high DECIMAL(36,18) NOT NULL,
  low DECIMAL(36,18) NOT NULL,
  close DECIMAL(36,18) NOT NULL,
  volume DECIMAL(36,18) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  -- Also the read path: newest N candles of one symbol and interval.
  UNIQUE KEY uq_candle (exchange, symbol, timeframe, open_time),
  -- Retention sweeps by age.
  KEY ix_open_time (open_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One direction conclusion of one symbol: what was stored and why.
CREATE TABLE direction_conclusions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid CHAR(36) NOT NULL,
  exchange VARCHAR(32) NOT NULL,
  symbol VARCHAR(32) NOT NULL,
  provider VARCHAR(16) NOT NULL,
  previous_direction ENUM('LONG','SHORT') NULL,
  direction ENUM('LONG','SHORT') NULL,
  timeframe VARCHAR(8) NULL,
  changed BOOLEAN NOT NULL,
  reason VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_uuid (uuid),
  KEY ix_symbol (exchange, symbol, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The readouts of each timeframe a conclusion read: raw values (JSON) and the verdict.
CREATE TABLE indicator_readouts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  conclusion_uuid CHAR(36) NOT NULL,
  symbol VARCHAR(32) NOT NULL,
  timeframe VARCHAR(8) NOT NULL,
  candle_open_time BIGINT NULL,
  readouts JSON NOT NULL,
  checks JSON NOT NULL,
  chop_gate BOOLEAN NOT NULL,
  pivot_gate BOOLEAN NOT NULL,
  leaning ENUM('LONG','SHORT') NULL,
  conclusion ENUM('LONG','SHORT') NULL,
  reason VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_conclusion_timeframe (conclusion_uuid, timeframe),
  KEY ix_symbol (symbol, timeframe, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One hourly regime score. period_at (the hour it describes) is unique and the key derives from
-- it ("regime-<period_at>"): a retried compute step writes neither a second snapshot nor signals.
CREATE TABLE regime_snapshots (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(36) NOT NULL,
  period_at BIGINT NOT NULL,
  computed_at BIGINT NOT NULL,
  score DECIMAL(36,18) NOT NULL,
  band ENUM('Calm','Elevated','Fragile','Critical') NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_uuid (uuid),
  UNIQUE KEY uq_period (period_at),
  KEY ix_computed (computed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each sub-signal of a snapshot: the raw reading (NULL: not enough data), its threshold, whether
-- it fired and the points it added.
CREATE TABLE regime_signals (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  snapshot_uuid VARCHAR(36) NOT NULL,
  name VARCHAR(32) NOT NULL,
  reading DECIMAL(36,18) NULL,
  threshold DECIMAL(36,18) NOT NULL,
  fired BOOLEAN NOT NULL,
  points DECIMAL(36,18) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_snapshot_signal (snapshot_uuid, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Operator overrides, append-only: the audit of who allowed or blocked opens, when, why, until.
-- The newest active row is in force.
CREATE TABLE regime_overrides (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  mode ENUM('allow','block') NOT NULL,
  reason VARCHAR(255) NOT NULL,
  created_by VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  until_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The fleet-wide cooldown state machine: a single row (id 1).
CREATE TABLE regime_cooldown (
  id TINYINT UNSIGNED NOT NULL,
  armed_at BIGINT NULL,
  until_at BIGINT NULL,
  armed_score DECIMAL(36,18) NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Shocks the one-minute detector reported on live mark prices.
CREATE TABLE market_shocks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  detected_at BIGINT NOT NULL,
  drop_pct DECIMAL(36,18) NOT NULL,
  symbols INT UNSIGNED NOT NULL,
  PRIMARY KEY (id),
  KEY ix_detected (detected_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
