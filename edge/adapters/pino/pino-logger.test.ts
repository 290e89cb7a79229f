import { describe, expect, it } from 'vitest';
import { mapBinanceFailure } from '../../../core/exchange/binance/binance-errors.ts';
import { jsonLogger } from '../../../core/ports/logger.ts';
import { chooseLogFormat, pinoLogger } from './pino-logger.ts';

const KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const PASSWORD = 'correct horse battery staple';
const TOKEN = 'csrf-7f3c9a1b2d4e';
const COOKIE = 'kraite_session=5b1d0f8e9c2a4d6b';
const BOT_TOKEN = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';
const SECRETS = [KEY, SECRET, PASSWORD, TOKEN, '5b1d0f8e9c2a4d6b', BOT_TOKEN, 'deadbeefcafe'];

function lines(format: 'json' | 'pretty'): string[] {
  const out: string[] = [];
  const log = pinoLogger({ level: 'debug', format, base: { worker: 'eos@test' }, write: (l) => out.push(l) });
  // An account, as a handler or a command might log it.
  log.info('account added', { account: { id: 3, name: 'main', apiKey: KEY, apiSecret: SECRET, apiKeyEnc: 'v1:abc', tradingEnabled: true } });
  // A login, with the request as a web framework hands it over.
  log.warn('sign-in failed', {
    username: 'ada', password: PASSWORD, csrfToken: TOKEN,
    headers: { cookie: COOKIE, authorization: `Bearer ${TOKEN}`, 'user-agent': 'curl' },
    body: `username=ada&password=${encodeURIComponent(PASSWORD)}&_csrf=${TOKEN}`,
  });
  // An exchange error whose cause carries the signed request.
  const cause = Object.assign(new Error(`fetch failed for https://fapi.binance.com/fapi/v1/order?symbol=ETHUSDT&timestamp=1&signature=deadbeefcafe`), {
    request: { headers: { 'X-MBX-APIKEY': KEY }, secret: SECRET },
  });
  const error = mapBinanceFailure({ status: 400, code: -2019, msg: 'Margin is insufficient.', mutation: true, endpoint: 'POST /fapi/v1/order', now: 0, cause });
  log.error('place order failed', { error, apiKey: KEY, url: `https://api.telegram.org/bot${BOT_TOKEN}/sendMessage`, notifier: { telegramToken: BOT_TOKEN } });
  return out;
}

describe('pino logger', () => {
  it.each(['json', 'pretty'] as const)('a %s line for an account, a login and an exchange error holds no credential', (format) => {
    const out = lines(format);
    expect(out).toHaveLength(3);
    for (const line of out) for (const secret of SECRETS) expect(line).not.toContain(secret);
    // What the operator needs is still there.
    expect(out.join('\n')).toContain('Margin is insufficient.');
    expect(out.join('\n')).toContain('ada');
  });

  it('writes an error with its stack and its cause', () => {
    const out: string[] = [];
    pinoLogger({ write: (l) => out.push(l) }).error('boom', { error: new Error('outer', { cause: new TypeError('inner') }) });
    const line = JSON.parse(out[0]!) as { level: string; msg: string; error: { message: string; stack: string; cause: { type: string; message: string } } };
    expect(line).toMatchObject({ level: 'error', msg: 'boom', error: { message: 'outer', cause: { type: 'TypeError', message: 'inner' } } });
    expect(line.error.stack).toContain('pino-logger.test.ts');
  });

  it('serialises BigInt and cycles instead of throwing', () => {
    const cyclic: Record<string, unknown> = { qty: 10n };
    cyclic.self = cyclic;
    for (const make of [(w: (l: string) => void) => pinoLogger({ write: w }), (w: (l: string) => void) => jsonLogger({ write: w })]) {
      const out: string[] = [];
      make((l) => out.push(l)).info('position', { position: cyclic });
      expect(JSON.parse(out[0]!)).toMatchObject({ position: { qty: '10', self: '[circular]' } });
    }
  });

  it('follows LOG_FORMAT, else the terminal', () => {
    expect(chooseLogFormat(undefined, true)).toBe('pretty');
    expect(chooseLogFormat(undefined, false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });
});
