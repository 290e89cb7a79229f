-- Operators and traders can be disabled without losing their history (audit rows keep their names):
-- a disabled user cannot sign in, and disabling ends their sessions (kraite admin:disable-user,
-- admin:disable-trader). A password reset (--reset) enables them again.
ALTER TABLE admin_users ADD COLUMN disabled_at BIGINT NULL AFTER password_hash;
ALTER TABLE console_users ADD COLUMN disabled_at BIGINT NULL AFTER password_hash;
