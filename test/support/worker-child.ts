// A worker process for crash tests: consumes the `work` lane with the test handlers on MySQL +
// BullMQ, heartbeating fast so a SIGKILL is noticed quickly. Env: DATABASE_URL, REDIS_URL, PREFIX.
import { HandlerRegistry } from '../../core/steps/registry.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { identityRouter } from '../../core/queue/router.port.ts';
import { BullMqQueue } from '../../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../../edge/adapters/bullmq/redis-connection.ts';
import { openMySqlStepStore } from '../../edge/adapters/mysql/open-mysql-store.ts';
import { startFleetProcess } from '../../edge/runtime/fleet-process.ts';
import { testHandlers } from './test-handlers.ts';

const store = await openMySqlStepStore(process.env.DATABASE_URL!);
const queue = new BullMqQueue({ connection: redisOptions(process.env.REDIS_URL!), prefix: process.env.PREFIX! });
startFleetProcess({
  plan: { boxes: ['crash-test'], consumers: [{ queue: 'work', lane: 'work', concurrency: 2 }], dispatch: false },
  store, queue, router: identityRouter, registry: new HandlerRegistry(testHandlers), logger: silentLogger,
  worker: `child-${process.pid}`, limits: { heartbeatMs: 100, staleRunningMs: 1_000 },
});
process.stdout.write('ready\n');
