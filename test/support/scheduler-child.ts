// athena's scheduler as its own process, for crash tests: built by startEdgeServices exactly as a
// fleet process builds it, over MySQL and Redis, but on a clock the test sets. It reads commands
// on stdin and answers one JSON line each: `catchup` (what start does), `tick <epoch ms>`.
// Env: DATABASE_URL, REDIS_URL, PREFIX, START_AT (epoch ms).
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { ManualClock } from '../../core/ports/clock.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { identityRouter } from '../../core/queue/router.port.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { BullMqQueue } from '../../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../../edge/adapters/bullmq/redis-connection.ts';
import { openMySqlStepStore } from '../../edge/adapters/mysql/open-mysql-store.ts';
import { loadTopology } from '../../edge/fleet/load-topology.ts';
import { loadConfig } from '../../edge/runtime/config.ts';
import { startEdgeServices } from '../../edge/scheduler/edge-services.ts';
import { scheduleStubRegistry } from './schedule-stubs.ts';

const env = process.env;
const clock = new ManualClock(Number(env.START_AT));
const store = await openMySqlStepStore(env.DATABASE_URL!);
const queue = new BullMqQueue({ connection: redisOptions(env.REDIS_URL!), prefix: env.PREFIX! });
const worker = `athena@${hostname()}:${process.pid}`;
const engine = new StepEngine({ store, queue, registry: scheduleStubRegistry(), router: identityRouter, clock, logger: silentLogger, worker });
const edge = startEdgeServices({
  engine, config: loadConfig({ REDIS_URL: env.REDIS_URL, KRAITE_QUEUE_PREFIX: env.PREFIX }), topology: await loadTopology('infra/topology.json'),
  boxes: ['athena'], consumers: [], dispatch: false, logger: silentLogger, worker, autoStart: false,
});
const scheduler = edge.scheduler!;
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, at] = line.trim().split(' ');
  if (at) clock.set(Number(at));
  const reports = command === 'catchup' ? await scheduler.catchUp() : await scheduler.tick();
  process.stdout.write(`${JSON.stringify(reports)}\n`);
}
