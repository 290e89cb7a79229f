-- Operators and traders can be disabled without losing their history (audit rows keep their names):
-- a disabled user cannot sign in, and disabling ends their sessions (kraite admin:disable-user,
-- admin:disable-trader). A password reset (--reset) enables them again and stamps
-- password_changed_at: a session whose sign-in began before it is dead, even one created by a
-- sign-in that was checking the old password while the reset ran.
ALTER TABLE admin_users ADD COLUMN disabled_at BIGINT NULL AFTER password_hash,
  ADD COLUMN password_changed_at BIGINT NULL AFTER disabled_at;
ALTER TABLE console_users ADD COLUMN disabled_at BIGINT NULL AFTER password_hash,
  ADD COLUMN password_changed_at BIGINT NULL AFTER disabled_at;
