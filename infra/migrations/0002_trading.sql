-- The trading domain (shared/spec/trading.md): accounts, exchange symbols, positions, orders, the raw
-- exchange audit and the notification outbox. Times are epoch milliseconds (BIGINT), as in 0001.
-- Money and quantities are DECIMAL(36,18), never FLOAT/DOUBLE: mysql2 returns them as strings and
-- core/trading/row-codec.ts strips the trailing zeros, so '0.00000001' reads back as written.
-- Booleans are written as 0/1 by core/trading so the in-memory store matches on the same values.
-- Split on ";" at line ends: no procedural SQL, no ";" inside literals.

-- One user's binding to one exchange. The API key and secret are AES-256-GCM ciphertext
-- (base64 of iv|ciphertext|tag, core/trading/credentials.ts); the key never reaches the database.
-- Per-direction settings are columns, not JSON, so a bad value is refused by the schema.
CREATE TABLE accounts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  exchange VARCHAR(32) NOT NULL,
  name VARCHAR(191) NOT NULL,
  api_key_enc VARCHAR(1024) NOT NULL,
  api_secret_enc VARCHAR(1024) NOT NULL,
  trading_enabled BOOLEAN NOT NULL,
  position_mode ENUM('one-way','hedge') NOT NULL,
  margin_type ENUM('ISOLATED','CROSSED') NOT NULL,
  quote_asset VARCHAR(16) NOT NULL,
  -- The preflight skips the account below this available balance (quote asset).
  min_balance DECIMAL(36,18) NOT NULL,
  long_slots INT UNSIGNED NOT NULL,
  long_leverage INT UNSIGNED NOT NULL,
  long_margin DECIMAL(36,18) NOT NULL,
  long_profit_pct DECIMAL(36,18) NOT NULL,
  long_stop_pct DECIMAL(36,18) NOT NULL,
  long_gap_pct DECIMAL(36,18) NOT NULL,
  long_rung_multiplier DECIMAL(36,18) NOT NULL,
  long_rungs INT UNSIGNED NOT NULL,
  short_slots INT UNSIGNED NOT NULL,
  short_leverage INT UNSIGNED NOT NULL,
  short_margin DECIMAL(36,18) NOT NULL,
  short_profit_pct DECIMAL(36,18) NOT NULL,
  short_stop_pct DECIMAL(36,18) NOT NULL,
  short_gap_pct DECIMAL(36,18) NOT NULL,
  short_rung_multiplier DECIMAL(36,18) NOT NULL,
  short_rungs INT UNSIGNED NOT NULL,
  -- Last user-data stream frame: the stream watchdog and the admin read it.
  last_frame_at BIGINT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_account_name (exchange, name),
  KEY ix_trading (trading_enabled)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A contract and its filters, the concluded direction, and the two independent switches:
-- is_eligible is the operator's manual switch, is_blocked the automatic block a failed cancel sets.
CREATE TABLE exchange_symbols (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  exchange VARCHAR(32) NOT NULL,
  symbol VARCHAR(32) NOT NULL,
  status VARCHAR(32) NOT NULL,
  base_asset VARCHAR(16) NOT NULL,
  quote_asset VARCHAR(16) NOT NULL,
  tick_size DECIMAL(36,18) NOT NULL,
  min_price DECIMAL(36,18) NOT NULL,
  max_price DECIMAL(36,18) NOT NULL,
  step_size DECIMAL(36,18) NOT NULL,
  min_qty DECIMAL(36,18) NOT NULL,
  max_qty DECIMAL(36,18) NOT NULL,
  market_step_size DECIMAL(36,18) NULL,
  market_min_qty DECIMAL(36,18) NULL,
  market_max_qty DECIMAL(36,18) NULL,
  min_notional DECIMAL(36,18) NOT NULL,
  percent_up DECIMAL(36,18) NULL,
  percent_down DECIMAL(36,18) NULL,
  direction ENUM('LONG','SHORT') NULL,
  is_eligible BOOLEAN NOT NULL,
  is_blocked BOOLEAN NOT NULL,
  block_reason VARCHAR(255) NULL,
  blocked_at BIGINT NULL,
  mark_price DECIMAL(36,18) NULL,
  mark_price_at BIGINT NULL,
  -- LeverageTier[] (core/exchange/exchange.port.ts), decimals as strings.
  leverage_brackets JSON NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_symbol (exchange, symbol),
  -- Slot assignment's candidate read: eligibleSymbols(direction).
  KEY ix_candidates (direction, is_eligible, is_blocked, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One attempt to trade one symbol for one account. The ladder settings are copied from the
-- account at creation, so editing an account never changes a live position's WAP or stop.
CREATE TABLE positions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  -- Chosen by the handler before the insert, so the open block can name its row before it has an id.
  uuid CHAR(36) NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  exchange VARCHAR(32) NOT NULL,
  symbol VARCHAR(32) NOT NULL,
  direction ENUM('LONG','SHORT') NOT NULL,
  status ENUM('new','opening','active','syncing','waping','closing','cancelling','closed','cancelled','failed') NOT NULL,
  -- 1 while the status is open, NULL once terminal. NULLs never clash in a unique key, so
  -- uq_open allows any number of settled positions and at most one open one per account and
  -- symbol, in either direction (trading.md). A plain column rather than a generated one so the
  -- in-memory store holds the same value; ck_is_open makes a write that forgets it fail loudly.
  is_open TINYINT UNSIGNED NULL,
  margin DECIMAL(36,18) NOT NULL,
  leverage INT UNSIGNED NULL,
  profit_pct DECIMAL(36,18) NOT NULL,
  stop_pct DECIMAL(36,18) NOT NULL,
  gap_pct DECIMAL(36,18) NOT NULL,
  rung_multiplier DECIMAL(36,18) NOT NULL,
  rungs INT UNSIGNED NOT NULL,
  regime_band VARCHAR(32) NULL,
  regime_score DECIMAL(36,18) NULL,
  opening_price DECIMAL(36,18) NULL,
  -- Our own filled quantity (entry plus applied rungs): the TP is sized from it when someone
  -- else holds exposure on the pair.
  quantity DECIMAL(36,18) NULL,
  break_even_price DECIMAL(36,18) NULL,
  -- Frozen at activation: the loss if the stop fills with every rung filled. Never updated after.
  worst_case_loss DECIMAL(36,18) NULL,
  closing_price DECIMAL(36,18) NULL,
  pnl DECIMAL(36,18) NULL,
  is_fast_trade BOOLEAN NULL,
  status_reason VARCHAR(255) NULL,
  opened_at BIGINT NULL,
  closed_at BIGINT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_uuid (uuid),
  UNIQUE KEY uq_open (account_id, symbol, is_open),
  KEY ix_status (status),
  KEY ix_account_status (account_id, status),
  CONSTRAINT ck_is_open CHECK (is_open <=> IF(status IN ('new','opening','active','syncing','waping','closing','cancelling'), 1, NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One exchange-side instruction owned by a position. The row is written with its deterministic
-- client id before the exchange call; exchange_order_id is the idempotency anchor once placed.
-- price / quantity are our intent; the exchange_* columns are its echo, kept apart so a drift
-- between them is visible and average fill price never overwrites intent.
CREATE TABLE orders (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  position_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  symbol VARCHAR(32) NOT NULL,
  role ENUM('entry','rung','stop','profit','close') NOT NULL,
  rung INT UNSIGNED NULL,
  -- Bumped only when a dead order is deliberately replaced; part of the client id.
  replacement INT UNSIGNED NOT NULL,
  client_order_id VARCHAR(36) NOT NULL,
  -- orderId for plain orders, algoId for conditional ones (is_algo).
  exchange_order_id VARCHAR(64) NULL,
  is_algo BOOLEAN NOT NULL,
  type VARCHAR(32) NOT NULL,
  side ENUM('BUY','SELL') NOT NULL,
  position_side ENUM('BOTH','LONG','SHORT') NOT NULL,
  reduce_only BOOLEAN NOT NULL,
  close_position BOOLEAN NOT NULL,
  price DECIMAL(36,18) NULL,
  quantity DECIMAL(36,18) NULL,
  status ENUM('pending','working','partially_filled','filled','cancelled','expired','rejected') NOT NULL,
  exchange_status VARCHAR(32) NULL,
  exchange_price DECIMAL(36,18) NULL,
  exchange_quantity DECIMAL(36,18) NULL,
  executed_qty DECIMAL(36,18) NULL,
  avg_price DECIMAL(36,18) NULL,
  exchange_updated_at BIGINT NULL,
  -- When WAP applied this fill to the take-profit: filled rungs with NULL here still need a WAP.
  fill_applied_at BIGINT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_client_order_id (client_order_id),
  KEY ix_position (position_id, role),
  KEY ix_account_status (account_id, status),
  KEY ix_exchange_order_id (exchange_order_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Append-only audit of raw exchange payloads (REST answers and stream frames), duplicates
-- included: it records what the exchange said, not what we concluded.
CREATE TABLE exchange_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  account_id BIGINT UNSIGNED NULL,
  source ENUM('rest','ws') NOT NULL,
  event_type VARCHAR(64) NOT NULL,
  symbol VARCHAR(32) NULL,
  client_order_id VARCHAR(64) NULL,
  event_time BIGINT NULL,
  payload JSON NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_account_received (account_id, received_at),
  KEY ix_client_order_id (client_order_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Operator notifications waiting to be sent (sent_at NULL) or sent; the throttle key lets the
-- notifier drop a repeat of the same alert within its window.
CREATE TABLE notifications (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  subject VARCHAR(191) NOT NULL,
  message TEXT NOT NULL,
  severity ENUM('info','warning','critical') NOT NULL,
  throttle_key VARCHAR(191) NULL,
  account_id BIGINT UNSIGNED NULL,
  position_id BIGINT UNSIGNED NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT NULL,
  PRIMARY KEY (id),
  KEY ix_unsent (sent_at, id),
  KEY ix_throttle (throttle_key, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
