// Benchmark `governor` (spec/quality.md): a burst needing three times one IP's per-minute weight,
// spread over four egress IPs (127.0.0.2–5) against the loopback simulator. Governed, it must draw
// no 429 or 418 and finish within 1.15× the peer measured in the same run: the same burst, same
// IPs, ungoverned, against a simulator with no weight limit (the latency-bound minimum, since the
// burst fits the four IPs' minute budgets).
import { MemoryWeightGovernor } from '../../core/adapters/memory/memory-weight-governor.ts';
import { BinanceUsdmClient } from '../../core/exchange/binance/binance-client.ts';
import type { CallEvent } from '../../core/exchange/binance/request.ts';
import { ThrottledExchangeError } from '../../core/exchange/exchange-errors.ts';
import { systemClock } from '../../core/ports/clock.ts';
import { egressPool } from '../adapters/undici-fetch.ts';
import type { CliIo } from '../cli/command.ts';
import { startSimulator } from '../sim/index.ts';
import type { Benchmark } from './index.ts';
import { fmt, table } from './stats.ts';

const IPS = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
const LIMIT = 2400;
const WEIGHT = 5; // GET /fapi/v3/positionRisk
const REQUESTS = (3 * LIMIT) / WEIGHT;
const CONCURRENCY = 16;

interface BurstResult {
  seconds: number;
  status429: number;
  status418: number;
  throttleWaits: number;
  perIp: Record<string, number>;
}

async function burst(governed: boolean): Promise<BurstResult> {
  const account = { apiKey: 'bench-key', secret: 'bench-secret', balance: '100000' };
  const sim = await startSimulator({ accounts: [account], rateLimits: governed ? { weightPerMinute: LIMIT } : { weightPerMinute: 1e9 } });
  const pool = egressPool(IPS);
  const events: CallEvent[] = [];
  const client = new BinanceUsdmClient({
    baseUrl: sim.restUrl, apiKey: account.apiKey, secret: account.secret, clock: systemClock, egress: pool.egress,
    governor: governed ? new MemoryWeightGovernor({ clock: systemClock, limits: { weightPerMinute: LIMIT } }) : undefined,
    onCall: (e) => events.push(e),
  });
  await client.syncTime();
  let next = 0;
  let throttleWaits = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) {
      next += 1;
      for (;;) {
        try {
          await client.getPositions();
          break;
        } catch (error) {
          // The engine turns this into a throttle reschedule; here we simply wait it out.
          if (!(error instanceof ThrottledExchangeError)) throw error;
          throttleWaits += 1;
          await new Promise((r) => setTimeout(r, error.retryAfterMs ?? 100));
        }
      }
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  await sim.close();
  const perIp: Record<string, number> = {};
  for (const e of events) if (e.endpoint.includes('positionRisk')) perIp[e.ip] = (perIp[e.ip] ?? 0) + e.weight;
  return { seconds, status429: events.filter((e) => e.status === 429).length, status418: events.filter((e) => e.status === 418).length, throttleWaits, perIp };
}

/** The `governor` benchmark. */
export const governorBenchmark: Benchmark = {
  name: 'governor',
  summary: 'a burst of 3× one IP\'s minute weight over four egress IPs: 429/418 count and time against the unmetered peer',
  async run(io: CliIo) {
    io.out(`burst: ${REQUESTS} × positionRisk (weight ${WEIGHT}) = ${REQUESTS * WEIGHT} weight, ${IPS.length} egress IPs, limit ${LIMIT}/min/IP`);
    await burst(false); // warm-up: JIT, sockets
    const peers: BurstResult[] = [];
    const runs: BurstResult[] = [];
    for (let i = 0; i < 3; i++) {
      peers.push(await burst(false));
      runs.push(await burst(true));
    }
    const mid = (xs: BurstResult[]) => [...xs].sort((a, b) => a.seconds - b.seconds)[1]!;
    const peer = mid(peers);
    const governed = mid(runs);
    governed.status429 = runs.reduce((n, r) => n + r.status429, 0);
    governed.status418 = runs.reduce((n, r) => n + r.status418, 0);
    const ratio = governed.seconds / peer.seconds;
    for (const line of table([
      { name: 'governed burst (median of 3)', value: `${fmt(governed.seconds)} s`, note: `weight per IP ${JSON.stringify(governed.perIp)}` },
      { name: 'unmetered peer (latency-bound minimum)', value: `${fmt(peer.seconds)} s` },
      { name: 'ratio governed / minimum', value: fmt(ratio, 3), target: '≤ 1.15' },
      { name: '429 responses (all runs)', value: String(governed.status429), target: '0' },
      { name: '418 responses (all runs)', value: String(governed.status418), target: '0' },
      { name: 'local throttle waits', value: String(governed.throttleWaits) },
    ])) io.out(line);
    return governed.status429 === 0 && governed.status418 === 0 ? 0 : 1;
  },
};
