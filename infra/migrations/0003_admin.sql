-- The operator admin: accounts, server-side sessions and the audit trail. Times are epoch ms.
-- Sessions are stored under the SHA-256 of the cookie token, never the token itself, so the SQL
-- console (which can read this database) cannot hand out live sessions.

CREATE TABLE admin_users (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  username VARCHAR(64) NOT NULL,
  -- scrypt$N$r$p$salt$hash (web/admin/node/scrypt-passwords.ts)
  password_hash VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE admin_sessions (
  id_hash CHAR(64) NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  username VARCHAR(64) NOT NULL,
  csrf_token VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (id_hash),
  KEY ix_user (user_id),
  KEY ix_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Who did what and when: sign-ins (and refusals), sign-outs, every SQL console query, user changes.
CREATE TABLE admin_audit (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  at BIGINT NOT NULL,
  who VARCHAR(191) NOT NULL,
  action VARCHAR(64) NOT NULL,
  subject MEDIUMTEXT NULL,
  outcome ENUM('ok','refused','failed') NOT NULL,
  detail TEXT NULL,
  row_count INT UNSIGNED NULL,
  duration_ms INT UNSIGNED NULL,
  ip VARCHAR(64) NULL,
  PRIMARY KEY (id),
  KEY ix_at (at),
  KEY ix_who (who, at),
  KEY ix_action (action, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The trader console (web/console): its own accounts and sessions, same shapes as the admin's,
-- so an operator login never opens the console and a trader login never opens the admin.
CREATE TABLE console_users (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  username VARCHAR(64) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE console_sessions (
  id_hash CHAR(64) NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  username VARCHAR(64) NOT NULL,
  csrf_token VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (id_hash),
  KEY ix_user (user_id),
  KEY ix_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Which exchange accounts a trader sees and may adjust in the console.
CREATE TABLE console_user_accounts (
  user_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (user_id, account_id),
  KEY ix_account (account_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
