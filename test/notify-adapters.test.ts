// The notifier contract against the log adapter and the Pushover adapter (a real local HTTP server
// standing in for api.pushover.net), plus the throttle in front of Pushover.
import { createServer, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { LogNotifier } from '../core/notify/log-notifier.ts';
import type { Severity } from '../core/notify/notifier.port.ts';
import { ThrottledNotifier } from '../core/notify/throttled-notifier.ts';
import { ManualClock } from '../core/ports/clock.ts';
import type { Logger } from '../core/ports/logger.ts';
import { PushoverError, PushoverNotifier } from '../edge/notify/pushover-notifier.ts';
import { notifierContract, type Received } from './contracts/notifier.contract.ts';

const SEVERITY_OF: Record<string, Severity> = { '-1': 'info', '0': 'warning', '1': 'critical' };

/** A fake Pushover API on loopback that records each form it receives. */
async function fakePushover(): Promise<{ url: string; forms: URLSearchParams[]; fail: { on: boolean }; close(): Promise<void> }> {
  const forms: URLSearchParams[] = [];
  const fail = { on: false };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      if (req.url !== '/1/messages.json' || req.method !== 'POST' || fail.on || form.get('token') !== 'app-token') {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 0, errors: ['application token is invalid'] }));
        return;
      }
      forms.push(form);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 1, request: 'r1' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, forms, fail, close: () => new Promise((r) => server.close(() => r())) };
}

function recordingLogger(): { logger: Logger; lines: { level: string; msg: string; fields: Record<string, unknown> }[] ; broken: { on: boolean } } {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const broken = { on: false };
  const at = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (broken.on) throw new Error('log sink closed');
    lines.push({ level, msg, fields });
  };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return { logger, lines, broken };
}

notifierContract('log', async () => {
  const { logger, lines, broken } = recordingLogger();
  return {
    notifier: new LogNotifier(logger),
    received: async () => lines.map((l): Received => ({ subject: String(l.fields.alert), message: l.msg, severity: l.fields.severity as Severity })),
    breakChannel: () => (broken.on = true),
    cleanup: async () => undefined,
  };
});

notifierContract('pushover', async () => {
  const api = await fakePushover();
  return {
    notifier: new PushoverNotifier({ token: 'app-token', user: 'user-key', baseUrl: api.url }),
    received: async () => api.forms.map((f): Received => ({ subject: f.get('title')!, message: f.get('message')!, severity: SEVERITY_OF[f.get('priority')!]! })),
    breakChannel: () => (api.fail.on = true),
    cleanup: api.close,
  };
});

describe('pushover adapter', () => {
  it('sends the user key and names the API error', async () => {
    const api = await fakePushover();
    try {
      await new PushoverNotifier({ token: 'app-token', user: 'user-key', baseUrl: `${api.url}/` }).deliver('s', 'm', 'info');
      expect(api.forms[0]!.get('user')).toBe('user-key');
      const bad = new PushoverNotifier({ token: 'wrong', user: 'user-key', baseUrl: api.url });
      const error = await bad.deliver('s', 'm', 'info').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PushoverError);
      expect((error as Error).message).toContain('application token is invalid');
    } finally {
      await api.close();
    }
  });

  it('throttles per subject in front of the real channel', async () => {
    const api = await fakePushover();
    try {
      const clock = new ManualClock();
      const notifier = new ThrottledNotifier(new PushoverNotifier({ token: 'app-token', user: 'u', baseUrl: api.url }), { windowMs: 60_000, clock });
      expect(await notifier.deliver('fleet:eos', 'stale', 'warning')).toBe('sent');
      expect(await notifier.deliver('fleet:eos', 'stale', 'warning')).toBe('throttled');
      expect(await notifier.deliver('fleet:iris', 'stale', 'warning')).toBe('sent');
      clock.advance(60_000);
      expect(await notifier.deliver('fleet:eos', 'stale', 'warning')).toBe('sent');
      expect(api.forms.map((f) => f.get('title'))).toEqual(['fleet:eos', 'fleet:iris', 'fleet:eos']);
      expect(api.forms[2]!.get('message')).toBe('stale (1 similar alert held back since the last one)');
    } finally {
      await api.close();
    }
  });
});
