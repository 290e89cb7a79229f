// The one rule for operator usernames, shared by the login form and `kraite admin:create-user`.
import { z } from 'zod';

/** Lower-cased, 1–64 characters of letters, digits, ".", "_", "@" and "-". */
export const usernameSchema = z.string({ error: 'is required' }).trim().toLowerCase()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9._@-]+$/, 'may contain only letters, digits, ".", "_", "@" and "-"');
