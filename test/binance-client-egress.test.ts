// Egress binding over real loopback HTTP: two undici pools bound to 127.0.0.2 and 127.0.0.3, a
// tiny server that meters weight per source address the way Binance does, and the client steering
// between them through the governor. (The simulator-backed suite is test/binance-client.test.ts.)
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryWeightGovernor } from '../core/adapters/memory/memory-weight-governor.ts';
import { BinanceUsdmClient } from '../core/exchange/binance/binance-client.ts';
import { ManualClock } from '../core/ports/clock.ts';
import { egressPool } from '../edge/adapters/undici-fetch.ts';

const IPS = ['127.0.0.2', '127.0.0.3'];

describe('egress IPs on loopback', () => {
  let server: Server;
  let baseUrl: string;
  const weight = new Map<string, number>();
  const banned = new Set<string>();
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const from = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      seen.push(from);
      if (banned.has(from)) {
        res.writeHead(418, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ code: -1003, msg: `Way too many requests; IP banned until ${Date.now() + 600_000}.` }));
        return;
      }
      const used = (weight.get(from) ?? 0) + 1;
      weight.set(from, used);
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-MBX-USED-WEIGHT-1M': String(used) });
      res.end(JSON.stringify({ serverTime: Date.now() }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends each egress from its own address and steers by headroom and bans', async () => {
    const pool = egressPool(IPS);
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const governor = new MemoryWeightGovernor({ clock });
    const client = new BinanceUsdmClient({ baseUrl, apiKey: 'k', secret: 's', clock, egress: pool.egress, governor });
    try {
      // The exchange says 127.0.0.2 already carries weight from elsewhere: work goes to .3.
      weight.set('127.0.0.2', 2000);
      await client.syncTime();
      expect(seen.at(-1)).toBe('127.0.0.2');
      await client.syncTime();
      await client.syncTime();
      expect(seen.slice(-2)).toEqual(['127.0.0.3', '127.0.0.3']);
      expect((await governor.state()).ips.map((s) => [s.ip, s.used])).toEqual([['127.0.0.2', 2001], ['127.0.0.3', 2]]);

      // .3 gets banned: the client marks it and retries on .2 in the same call.
      banned.add('127.0.0.3');
      await client.syncTime();
      expect(seen.slice(-2)).toEqual(['127.0.0.3', '127.0.0.2']);
      const state = await governor.state();
      expect(state.ips.find((s) => s.ip === '127.0.0.3')?.bannedUntil).toBeGreaterThan(clock.now());
    } finally {
      await pool.close();
    }
  });
});
