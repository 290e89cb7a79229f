// Egress addresses on the real host: `kraite topology --check` binds each box's egress address
// (the shipped loopback topology passes, the production one fails naming every address), and a
// trading box whose egress address is missing refuses to start instead of failing every signed call.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../edge/cli/main.ts';

const LOCAL = fileURLToPath(new URL('../infra/topology.local.json', import.meta.url));

async function run(argv: string[], env: Record<string, string> = {}, signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { KRAITE_PORT: '0', LOG_LEVEL: 'warn', ...env }, signal });
  return { code, out, err };
}

describe.skipIf(process.platform !== 'linux')('egress addresses on this host', () => {
  it('topology --check passes the shipped loopback topology and fails the production one, naming the addresses', async () => {
    const local = await run(['topology', '--check'], { KRAITE_TOPOLOGY: LOCAL });
    expect(await local.code).toBe(0);
    expect(local.out.join('\n')).toMatch(/eos\s+127\.0\.0\.2\s+ok[\s\S]*hemera\s+127\.0\.0\.5\s+ok/);

    const production = await run(['topology', '--check', '--box', 'eos']);
    expect(await production.code).toBe(1);
    expect(production.out.join('\n')).toMatch(/eos\s+204\.168\.137\.153\s+MISSING \(EADDRNOTAVAIL\)/);
    expect(production.err.join('\n')).toContain('egress address not on this host: eos 204.168.137.153 (EADDRNOTAVAIL)');
    expect(production.out.join('\n')).not.toContain('iris');
    expect(await (await run(['topology', '--box', 'eos'])).code).toBe(2);
  });

  it('a trading box whose egress address is missing fails at start naming it; on its own host the banner shows it', async () => {
    const exchange = { KRAITE_EXCHANGE_URL: 'http://127.0.0.1:9' };
    const refused = await run(['run', '--box', 'eos'], exchange);
    expect(await refused.code).toBe(1);
    expect(refused.err.join('\n')).toContain('kraite run: egress address not on this host: eos 204.168.137.153 (EADDRNOTAVAIL)');

    const stop = new AbortController();
    const started = await run(['run', '--box', 'iris'], { ...exchange, KRAITE_TOPOLOGY: LOCAL }, stop.signal);
    await expect.poll(() => started.out.join('\n'), { timeout: 20_000 }).toContain('  egress: 127.0.0.3 (box iris)');
    stop.abort();
    expect(await started.code).toBe(0);
  });
});
