// The fleet topology as data: boxes, roles, the lanes they consume and with what concurrency.
// Validation refuses bad input with a message naming the field path.
import { z } from 'zod';

/** Logical lanes steps name (besides a box name, which pins a step to that box). */
export const LANES = ['positions', 'orders', 'priority', 'indicators', 'cronjobs', 'user-data-stream'] as const;
/** What a box is for. */
export const ROLES = ['storage', 'ingestion', 'trading', 'indicators', 'web'] as const;
/** Long-running processes a box may host. */
export const DAEMONS = ['scheduler', 'dispatcher', 'user-data-stream', 'mark-price-stream', 'listen-key-refresh'] as const;
/** Web surfaces a box may serve. */
export const WEB_APPS = ['admin', 'console', 'marketing', 'docs'] as const;

const name = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be lower-case letters, digits and -, starting with a letter');

const queueSchema = z.object({
  lane: name,
  concurrency: z.number().int('must be a positive integer').positive('must be a positive integer'),
}).strict();

const boxSchema = z.object({
  name,
  roles: z.array(z.enum(ROLES)).min(1, 'a box needs at least one role'),
  privateAddress: z.string().min(1).optional(),
  egressIps: z.array(z.string().min(1)).optional(),
  services: z.array(z.enum(['mysql', 'redis'])).optional(),
  queues: z.array(queueSchema).default([]),
  daemons: z.array(z.enum(DAEMONS)).default([]),
  web: z.array(z.enum(WEB_APPS)).optional(),
}).strict();

/** The zod schema of a topology file, with the cross-field rules. */
export const topologySchema = z.object({
  name: z.string().min(1),
  queuePrefix: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('kraite'),
  boxes: z.array(boxSchema).min(1, 'a topology needs at least one box'),
}).strict().superRefine((t, ctx) => {
  const names = new Set<string>();
  t.boxes.forEach((box, i) => {
    if (names.has(box.name)) ctx.addIssue({ code: 'custom', path: ['boxes', i, 'name'], message: `duplicate box name "${box.name}"` });
    names.add(box.name);
  });
  t.boxes.forEach((box, i) => {
    const lanes = new Set<string>();
    box.queues.forEach((q, j) => {
      if (!(LANES as readonly string[]).includes(q.lane) && !names.has(q.lane)) {
        ctx.addIssue({ code: 'custom', path: ['boxes', i, 'queues', j, 'lane'], message: `unknown lane "${q.lane}" (one of ${LANES.join(', ')} or a box name)` });
      }
      if (names.has(q.lane) && q.lane !== box.name) {
        ctx.addIssue({ code: 'custom', path: ['boxes', i, 'queues', j, 'lane'], message: `lane "${q.lane}" is pinned to box ${q.lane}; only that box may consume it` });
      }
      if (lanes.has(q.lane)) ctx.addIssue({ code: 'custom', path: ['boxes', i, 'queues', j, 'lane'], message: `lane "${q.lane}" listed twice` });
      lanes.add(q.lane);
    });
    const webOnly = box.roles.includes('web') && box.roles.length === 1;
    if ((webOnly || box.roles.every((r) => r === 'storage')) && box.queues.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['boxes', i, 'queues'], message: `a ${box.roles.join('/')} box consumes no queue` });
    }
    if (box.roles.includes('storage') && box.roles.length === 1 && box.daemons.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['boxes', i, 'daemons'], message: 'a storage box runs no application code' });
    }
  });
  const consumed = new Set(t.boxes.flatMap((b) => b.queues.map((q) => q.lane)));
  for (const lane of ['positions', 'orders', 'priority'] as const) {
    if (t.boxes.some((b) => b.roles.includes('trading')) && !consumed.has(lane)) {
      ctx.addIssue({ code: 'custom', path: ['boxes'], message: `no box consumes the "${lane}" lane` });
    }
  }
  if (!t.boxes.some((b) => b.daemons.includes('dispatcher'))) ctx.addIssue({ code: 'custom', path: ['boxes'], message: 'no box runs the dispatcher daemon' });
});

/** A validated topology. */
export type Topology = z.output<typeof topologySchema>;
/** One box of a topology. */
export type Box = Topology['boxes'][number];
