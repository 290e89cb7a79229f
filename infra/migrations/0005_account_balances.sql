-- Account balance history (streams-and-scheduler.md: "store account balances", every 5 minutes):
-- one row per account and run, the quote asset's wallet and available balance as the exchange
-- reported them. Append-only; the admin charts it and retention purges it.
CREATE TABLE account_balances (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  account_id BIGINT UNSIGNED NOT NULL,
  asset VARCHAR(16) NOT NULL,
  balance DECIMAL(36,18) NOT NULL,
  available DECIMAL(36,18) NOT NULL,
  unrealized_pnl DECIMAL(36,18) NOT NULL,
  taken_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_account_asset_time (account_id, asset, taken_at),
  KEY ix_taken (taken_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
