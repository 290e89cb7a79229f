// Process configuration from the environment, validated with zod; an error names the variable.
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';

const url = (protocols: string[]) => z.string().refine((v) => {
  try {
    return protocols.includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` });

const schema = z.object({
  DATABASE_URL: url(['mysql:']).optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  KRAITE_TOPOLOGY: z.string().min(1).optional(),
  KRAITE_HOST: z.string().min(1).default('127.0.0.1'),
  KRAITE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  KRAITE_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('kraite'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  KRAITE_SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(0).default(30_000),
});

/** The validated process configuration. */
export type KraiteConfig = z.output<typeof schema>;

/** Reads the configuration; empty strings count as unset. Throws a ValidationError naming the field. */
export function loadConfig(env: Record<string, string | undefined>): KraiteConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`config ${issue.path.join('.')}: ${issue.message}`, 'INVALID_CONFIG');
  }
  return parsed.data;
}
