// `kraite sim`: argument errors name the flag; a running simulator prints its URLs and stops on abort.
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../edge/cli/command.ts';
import { main } from '../edge/cli/main.ts';

function capture(signal?: AbortSignal): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), env: {}, signal };
}

describe('kraite sim', () => {
  it.each([
    [['--account', 'only-a-key'], /--account must be KEY:SECRET\[:BALANCE\]/],
    [['--account', 'k:s:lots'], /--account balance must be a plain decimal/],
    [['--account', 'k:s', '--account', 'k:t'], /--account k is given twice/],
    [['--port', 'http'], /--port must be a whole number/],
    [['--port', '70000'], /--port must be between 0 and 65535/],
    [['--seed', 'x1'], /--seed must be a whole number/],
    [['--symbols', 'BTCUSDT,NOPE'], /--symbols has unknown symbol\(s\) NOPE/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with a message naming the flag', async (args, message) => {
    const io = capture();
    expect(await main(['sim', ...args], io)).toBe(2);
    expect(io.errors.join('\n')).toMatch(message);
  });

  it('serves until aborted and prints the REST and WebSocket base URLs', async () => {
    const stop = new AbortController();
    const io = capture(stop.signal);
    const running = main(['sim', '--port', '0', '--seed', '9', '--account', 'cli-key:cli-secret:2500', '--symbols', 'BTCUSDT,ETHUSDT', '--tick-ms', '0'], io);
    const deadline = Date.now() + 10_000;
    while (!io.lines.some((l) => l.includes('WebSocket:')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const rest = io.lines.find((l) => l.includes('REST:'))!.split('REST:')[1]!.trim();
    expect(io.lines.find((l) => l.includes('WebSocket:'))).toMatch(/ws:\/\/127\.0\.0\.1:\d+/);
    const info = await (await fetch(`${rest}/fapi/v1/exchangeInfo`)).json() as { symbols: { symbol: string }[] };
    expect(info.symbols.map((s) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(io.lines).toContain('  account:   cli-key (2500 USDT)');
    stop.abort();
    expect(await running).toBe(0);
    expect(io.lines.at(-1)).toBe('kraite sim: abort: stopping');
  });
});
