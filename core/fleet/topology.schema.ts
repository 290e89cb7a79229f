// The fleet topology as data: boxes, their roles, the lanes they consume with what concurrency,
// the daemons they run. The shape is checked field by field, then the rules that span fields.
import { z } from 'zod';

/** Logical lanes a step may name (besides a box name, which pins the step to that box). */
export const LANES = ['positions', 'orders', 'priority', 'indicators', 'cronjobs', 'user-data-stream'] as const;
/** A logical lane. */
export type Lane = (typeof LANES)[number];
/** What a box is for. */
export const ROLES = ['storage', 'ingestion', 'trading', 'indicators', 'web'] as const;
/** Long-running processes a box may host. */
export const DAEMONS = ['scheduler', 'dispatcher', 'user-data-stream', 'mark-price-stream', 'listen-key-refresh'] as const;
/** A daemon name. */
export type Daemon = (typeof DAEMONS)[number];
/** Web surfaces a box may serve. */
export const WEB_APPS = ['admin', 'console', 'marketing', 'docs'] as const;
/** Stateful services a storage box runs. */
export const SERVICES = ['mysql', 'redis'] as const;

/** The lanes each daemon pushes work into; every one of them needs a consumer somewhere. */
export const DAEMON_PRODUCES: Readonly<Record<Daemon, readonly Lane[]>> = {
  scheduler: [], // creates steps; the dispatcher is what pushes them onto lanes
  dispatcher: ['positions', 'orders', 'priority', 'indicators', 'cronjobs'],
  'user-data-stream': ['user-data-stream'],
  'mark-price-stream': [], // writes mark prices straight to storage
  'listen-key-refresh': [],
};

/** Daemons that may run on one box only: two schedulers fire every job twice, two streams open every account's socket twice. */
export const SINGLETON_DAEMONS: readonly Daemon[] = ['scheduler', 'user-data-stream'];

const POSITIVE = 'must be a positive integer';
const name = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be 1-31 lower-case letters, digits or -, starting with a letter');
const ip = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' });

const queueSchema = z.object({
  lane: name,
  concurrency: z.number({ error: (iss) => (iss.input === undefined ? 'is required' : POSITIVE) }).int(POSITIVE).positive(POSITIVE),
}).strict();

const boxSchema = z.object({
  name,
  roles: z.array(z.enum(ROLES)).min(1, 'a box needs at least one role'),
  /** Address on the private network (kraite-net) the other boxes reach it at. */
  privateAddress: z.string().regex(/^[A-Za-z0-9.:-]+$/, 'must be an IP address or host name').optional(),
  /** Public source IPs of its exchange traffic: each is one Binance weight budget. */
  egressIps: z.array(ip).optional(),
  services: z.array(z.enum(SERVICES)).optional(),
  queues: z.array(queueSchema).default([]),
  daemons: z.array(z.enum(DAEMONS)).default([]),
  web: z.array(z.enum(WEB_APPS)).optional(),
  /** Port of the box's /metrics and /health endpoints (Prometheus scrapes it); unset: metricsPortOf's default. */
  metricsPort: z.number({ error: 'must be a port number (1-65535)' }).int('must be a port number (1-65535)').min(1, 'must be a port number (1-65535)').max(65535, 'must be a port number (1-65535)').optional(),
}).strict();

type Shape = z.output<typeof topologyShape>;
type Ctx = z.RefinementCtx<Shape>;

const topologyShape = z.object({
  name: z.string().min(1, 'must not be empty'),
  description: z.string().optional(),
  /** First part of every physical queue name: `<prefix>.<lane>`; BullMQ forbids ':' in queue names. */
  queuePrefix: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ and - only').default('kraite'),
  boxes: z.array(boxSchema).min(1, 'a topology needs at least one box'),
}).strict();

const only = (roles: readonly string[], role: string) => roles.length > 0 && roles.every((r) => r === role);

function flagRepeats(values: readonly string[], path: (i: number) => (string | number)[], ctx: Ctx): void {
  values.forEach((v, i) => {
    if (values.indexOf(v) !== i) ctx.addIssue({ code: 'custom', path: path(i), message: `"${v}" listed twice` });
  });
}

function checkBox(t: Shape, i: number, boxNames: ReadonlySet<string>, ctx: Ctx): void {
  const box = t.boxes[i]!;
  const at = (...rest: (string | number)[]) => ['boxes', i, ...rest];
  if (t.boxes.findIndex((b) => b.name === box.name) !== i) ctx.addIssue({ code: 'custom', path: at('name'), message: `duplicate box name "${box.name}"` });
  if ((LANES as readonly string[]).includes(box.name)) ctx.addIssue({ code: 'custom', path: at('name'), message: `"${box.name}" is a lane name; a box needs another name` });
  flagRepeats(box.roles, (k) => at('roles', k), ctx);
  flagRepeats(box.daemons, (k) => at('daemons', k), ctx);
  flagRepeats(box.egressIps ?? [], (k) => at('egressIps', k), ctx);
  flagRepeats(box.queues.map((q) => q.lane), (j) => at('queues', j, 'lane'), ctx);
  box.queues.forEach((q, j) => {
    if (!(LANES as readonly string[]).includes(q.lane) && !boxNames.has(q.lane)) {
      ctx.addIssue({ code: 'custom', path: at('queues', j, 'lane'), message: `unknown lane "${q.lane}" (one of ${LANES.join(', ')} or a box name)` });
    } else if (boxNames.has(q.lane) && q.lane !== box.name) {
      ctx.addIssue({ code: 'custom', path: at('queues', j, 'lane'), message: `lane "${q.lane}" is pinned to box ${q.lane}; only that box may consume it` });
    }
  });
  // Web and storage boxes fail independently of trading: they never take work or run daemons.
  for (const role of ['web', 'storage'] as const) {
    if (!only(box.roles, role)) continue;
    if (box.queues.length > 0) ctx.addIssue({ code: 'custom', path: at('queues'), message: `a ${role} box consumes no queue` });
    if (box.daemons.length > 0) ctx.addIssue({ code: 'custom', path: at('daemons'), message: `a ${role} box runs no daemon` });
  }
  if (box.daemons.length > 0 && !box.roles.includes('ingestion')) ctx.addIssue({ code: 'custom', path: at('daemons'), message: 'daemons run on a box with the ingestion role' });
  if (box.web && !box.roles.includes('web')) ctx.addIssue({ code: 'custom', path: at('web'), message: 'web apps run on a box with the web role' });
  if (box.services && !box.roles.includes('storage')) ctx.addIssue({ code: 'custom', path: at('services'), message: 'services run on a box with the storage role' });
}

function checkFleet(t: Shape, ctx: Ctx): void {
  const consumed = new Set(t.boxes.flatMap((b) => b.queues.map((q) => q.lane)));
  const seen = new Map<Daemon, string>();
  t.boxes.forEach((box, i) => box.daemons.forEach((daemon, k) => {
    const first = seen.get(daemon);
    if (first !== undefined && first !== box.name && SINGLETON_DAEMONS.includes(daemon)) {
      ctx.addIssue({ code: 'custom', path: ['boxes', i, 'daemons', k], message: `the ${daemon} daemon already runs on ${first}; it may run on one box only` });
    }
    if (first === undefined) seen.set(daemon, box.name);
    for (const lane of DAEMON_PRODUCES[daemon]) {
      if (!consumed.has(lane)) ctx.addIssue({ code: 'custom', path: ['boxes', i, 'daemons', k], message: `the ${daemon} daemon pushes into lane "${lane}", which no box consumes` });
    }
  }));
  if (!seen.has('dispatcher')) ctx.addIssue({ code: 'custom', path: ['boxes'], message: 'no box runs the dispatcher daemon' });
}

/** The zod schema of a topology file, with the rules that span fields. */
export const topologySchema = topologyShape.superRefine((t, ctx) => {
  // A box named like a logical lane is refused, and the logical lane wins meanwhile.
  const boxNames = new Set(t.boxes.map((b) => b.name).filter((n) => !(LANES as readonly string[]).includes(n)));
  t.boxes.forEach((_, i) => checkBox(t, i, boxNames, ctx));
  checkFleet(t, ctx);
});

/** First default metrics port (9464 is Prometheus's registered port for exporters); each box adds its index. */
export const DEFAULT_METRICS_PORT = 9464;

/** The port a box serves /metrics and /health on: its own, else 9464 + its index (distinct when boxes share a host). */
export function metricsPortOf(topology: Pick<Topology, 'boxes'>, boxName: string): number {
  const index = topology.boxes.findIndex((b) => b.name === boxName);
  const box = topology.boxes[index];
  return box?.metricsPort ?? DEFAULT_METRICS_PORT + Math.max(0, index);
}

/**
 * Daemons that may run as their own process beside the box's main one (`kraite stream:mark-price`,
 * `kraite streams:user-data --shard i/n`), and how far above the box's metrics port each serves.
 */
export const PROCESS_METRICS_OFFSETS = { 'mark-price-stream': 100, 'user-data-stream': 200 } as const;
/** A daemon that may run as its own process. */
export type ProcessDaemon = keyof typeof PROCESS_METRICS_OFFSETS;

/** The port such a process serves /metrics and /health on: the box's port + the daemon's offset (+ its shard index). */
export function processMetricsPortOf(topology: Pick<Topology, 'boxes'>, boxName: string, daemon: ProcessDaemon, shardIndex = 0): number {
  return metricsPortOf(topology, boxName) + PROCESS_METRICS_OFFSETS[daemon] + shardIndex;
}

/** The box whose topology entry lists `daemon` (the first, for a daemon several boxes list); undefined when none does. */
export function boxRunning(topology: Pick<Topology, 'boxes'>, daemon: Daemon): Box | undefined {
  return topology.boxes.find((b) => (b.daemons as readonly string[]).includes(daemon));
}

/** A topology as written in the file (defaults not yet applied). */
export type TopologyInput = z.input<typeof topologySchema>;
/** A validated topology. */
export type Topology = z.output<typeof topologySchema>;
/** One box of a topology. */
export type Box = Topology['boxes'][number];
/** One lane a box consumes, with its concurrency. */
export type BoxQueue = Box['queues'][number];
