import { describe, expect, it } from 'vitest';
import { createStatusApp, type StatusReport } from './status-app.ts';

const report: StatusReport = {
  boxes: ['eos'], mode: { store: 'memory', queue: 'memory' },
  consumers: [{ queue: 'kraite.positions', concurrency: 5, waiting: 2, active: 1, oldestWaitingMs: 40 }],
  dispatcher: null, steps: { trading: { completed: 3 } }, events: [{ at: 0, severity: 'warning', message: '<b>escaped</b>' }],
};

describe('status app', () => {
  const app = createStatusApp(async () => report);
  it('answers health', async () => {
    const res = await app.request('/health');
    expect(await res.json()).toEqual({ ok: true });
  });
  it('shows queues and escapes event text', async () => {
    const body = await (await app.request('/')).text();
    expect(body).toContain('<td>kraite.positions</td><td>5</td><td>2</td>');
    expect(body).toContain('&lt;b&gt;escaped&lt;/b&gt;');
    expect(body).toContain('completed: 3');
  });
});
