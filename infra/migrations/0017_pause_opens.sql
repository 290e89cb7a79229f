-- The fleet-wide "pause new opens" switch (issue 17; Telegram's /pause may share it): append-only,
-- the newest row is in force, so every flip keeps who, when and why. The open preflight reads it;
-- positions already open keep their stop, take-profit and rungs.
CREATE TABLE fleet_pause_opens (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  paused BOOLEAN NOT NULL,
  reason VARCHAR(255) NOT NULL,
  created_by VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
