-- A counter every conditional write bumps (issue 20). PlanetScale's HTTP API, like MySQL without
-- CLIENT_FOUND_ROWS, reports CHANGED rows: an update that sets what is already stored reads as
-- "matched nothing" and would roll a required write back. Bumping row_version makes every matched row a
-- changed one, so the PlanetScale store and the mysql2 store (which counts matched rows) agree.
-- INVISIBLE: SELECT * and INSERT without a column list never see it, so no row shape changes.
ALTER TABLE default_steps ADD COLUMN row_version BIGINT UNSIGNED NOT NULL DEFAULT 0 INVISIBLE;
ALTER TABLE trading_steps ADD COLUMN row_version BIGINT UNSIGNED NOT NULL DEFAULT 0 INVISIBLE;
ALTER TABLE accounts ADD COLUMN row_version BIGINT UNSIGNED NOT NULL DEFAULT 0 INVISIBLE;
ALTER TABLE exchange_symbols ADD COLUMN row_version BIGINT UNSIGNED NOT NULL DEFAULT 0 INVISIBLE;
ALTER TABLE positions ADD COLUMN row_version BIGINT UNSIGNED NOT NULL DEFAULT 0 INVISIBLE;
ALTER TABLE orders ADD COLUMN row_version BIGINT UNSIGNED NOT NULL DEFAULT 0 INVISIBLE;
ALTER TABLE notifications ADD COLUMN row_version BIGINT UNSIGNED NOT NULL DEFAULT 0 INVISIBLE;
ALTER TABLE regime_cooldown ADD COLUMN row_version BIGINT UNSIGNED NOT NULL DEFAULT 0 INVISIBLE;
