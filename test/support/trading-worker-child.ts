// A trading worker process for crash tests: consumes the trading lanes with the real trading
// handlers on MySQL + BullMQ, talking to the simulator over HTTP like a worker talks to Binance.
// Heartbeats fast so a SIGKILL is noticed quickly. Env: DATABASE_URL, REDIS_URL, PREFIX, SIM_URL,
// CREDENTIALS_KEY; LIMITS (JSON engine limits, default CRASH_LIMITS), WORKER_ID (default one per pid).
import { BinanceUsdmClient } from '../../core/exchange/binance/binance-client.ts';
import { systemClock } from '../../core/ports/clock.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { identityRouter } from '../../core/queue/router.port.ts';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { credentialDirectory } from '../../core/trading/exchange-directory.ts';
import { BullMqQueue } from '../../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../../edge/adapters/bullmq/redis-connection.ts';
import { openMySqlStepStore } from '../../edge/adapters/mysql/open-mysql-store.ts';
import { egressFetch } from '../../edge/adapters/undici-fetch.ts';
import { startFleetProcess } from '../../edge/runtime/fleet-process.ts';
import { tradingHandlers } from '../../handlers/trading/index.ts';
import { CRASH_LANES, CRASH_LIMITS } from './trading-crash.ts';

const env = process.env;
const store = await openMySqlStepStore(env.DATABASE_URL!);
const queue = new BullMqQueue({ connection: redisOptions(env.REDIS_URL!), prefix: env.PREFIX! });
const key = await importCredentialsKey(env.CREDENTIALS_KEY!);
const http = egressFetch();
const exchanges = credentialDirectory(key, (c) => new BinanceUsdmClient({ baseUrl: env.SIM_URL!, apiKey: c.apiKey, secret: c.apiSecret, clock: systemClock, fetch: http.fetch }));
startFleetProcess({
  plan: { boxes: ['crash-test'], consumers: CRASH_LANES.map((lane) => ({ queue: lane, lane, concurrency: 4 })), dispatch: false },
  store, queue, router: identityRouter, registry: new HandlerRegistry(tradingHandlers({ exchanges, flatReadGapMs: 200 })), logger: silentLogger,
  worker: env.WORKER_ID ?? `child-${process.pid}`, limits: env.LIMITS ? (JSON.parse(env.LIMITS) as typeof CRASH_LIMITS) : CRASH_LIMITS,
});
process.stdout.write('ready\n');
