// `kraite health --process`: the probe a daemon's own unit runs after start reaches that process's
// port (the box's metrics port + the daemon's offset), waits for 200, and names what is failing.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../edge/cli/main.ts';
import { sparePort } from './support/spare-port.ts';

describe('kraite health --process', () => {
  let server: Server;
  let port: number;
  let topologyPath: string;

  beforeAll(async () => {
    port = await sparePort();
    // The mark-price process: live, not ready.
    server = createServer((req, res) => {
      const ready = req.url === '/health/live';
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: ready, failing: ready ? [] : ['mark-price-stream'] }));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const topology = JSON.parse(readFileSync('infra/topology.local.json', 'utf8')) as { boxes: { name: string; metricsPort?: number }[] };
    topology.boxes.find((b) => b.name === 'athena')!.metricsPort = port - 100;
    topologyPath = join(mkdtempSync(join(tmpdir(), 'kraite-health-')), 'topology.json');
    writeFileSync(topologyPath, JSON.stringify(topology));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const health = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['health', ...argv], { out: (l) => out.push(l), err: (l) => err.push(l), env: { KRAITE_TOPOLOGY: topologyPath } });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('probes the daemon process at the box port + its offset, and names the failing check', async () => {
    expect(await health('--box', 'athena', '--process', 'mark-price-stream', '--live', '--local', '--timeout', '5'))
      .toEqual({ code: 0, out: `health: athena mark-price-stream live (http://127.0.0.1:${port}/health/live)`, err: '' });
    expect(await health('--box', 'athena', '--process', 'mark-price-stream', '--local', '--timeout', '0'))
      .toEqual({ code: 1, out: '', err: `health: athena mark-price-stream not ready at http://127.0.0.1:${port}/health/ready: mark-price-stream` });
    // The box's main process is elsewhere (its own port, nobody listening here).
    expect((await health('--box', 'athena', '--local', '--timeout', '0')).err).toContain(`:${port - 100}/health/ready: no answer`);
  });

  it('refuses an unknown process by name', async () => {
    const r = await health('--box', 'athena', '--process', 'scheduler');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--process must be one of mark-price-stream, user-data-stream, got "scheduler"');
  });
});
