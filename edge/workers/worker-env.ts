// The bindings and settings of the `kraite-steps` Worker (wrangler.toml [env.kraite-steps]),
// checked once per isolate with a clear error naming the field.
import { z } from 'zod';
import { storeUrlProblem } from '../../core/adapters/planetscale/planetscale-step-store.ts';
import type { QueueProducer } from '../../core/adapters/push/cloudflare-queues.ts';

const url = (field: string) => z.string(`${field} is required`).refine((v) => URL.canParse(v), `${field} must be a URL`);

/** The Worker's env as wrangler hands it over. */
export const workerEnvSchema = z.object({
  /** Secret: the PlanetScale connection URL, https://<user>:<password>@<host> (or any host speaking that protocol). */
  KRAITE_STORE_URL: z.string('KRAITE_STORE_URL is required').superRefine((v, ctx) => {
    const problem = storeUrlProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `KRAITE_STORE_URL ${problem}` });
  }),
  /** Variable: the exchange's REST base, e.g. https://fapi.binance.com. */
  KRAITE_EXCHANGE_URL: url('KRAITE_EXCHANGE_URL'),
  /** Secret: 32 random bytes, base64 — the key account credentials are encrypted with. */
  KRAITE_CREDENTIALS_KEY: z.string('KRAITE_CREDENTIALS_KEY is required').min(40, 'KRAITE_CREDENTIALS_KEY must be 32 bytes, base64'),
  /** Secret: the HMAC secret of POST /steps/:id/run (at least 32 characters); the HTTP entry is off without it. */
  KRAITE_STEP_RUN_SECRET: z.string().min(32, 'KRAITE_STEP_RUN_SECRET must be at least 32 characters').optional(),
  /** Queue producer binding the next steps go to. */
  STEPS: z.custom<QueueProducer>((v) => typeof (v as QueueProducer | undefined)?.send === 'function', 'STEPS must be a Queue producer binding'),
});

/** The checked env. */
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

/** Parses the env, throwing one message that names every bad field. */
export function parseWorkerEnv(env: unknown): WorkerEnv {
  const parsed = workerEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`kraite-steps env: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
