-- Backtest runs saved by `kraite backtest --save` (issue 21), listed on the admin's Backtests page:
-- the run's settings and summary as JSON for the list, the equity curve and trades for its page.
CREATE TABLE backtests (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  symbols VARCHAR(255) NOT NULL,
  range_from BIGINT NOT NULL,
  range_to BIGINT NOT NULL,
  candles INT UNSIGNED NOT NULL,
  starting_balance DECIMAL(30,8) NOT NULL,
  final_balance DECIMAL(30,8) NOT NULL,
  net_pnl DECIMAL(30,8) NOT NULL,
  settings_json JSON NOT NULL,
  summary_json JSON NOT NULL,
  equity_json LONGTEXT NOT NULL,
  trades_json LONGTEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
