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
  it('shows the fleet: every box up or down with its processes, and every queue of the topology', async () => {
    const at = 1_000_000;
    const fleetApp = createStatusApp(async () => ({
      ...report, boxes: ['pheme'], consumers: [],
      fleet: {
        at, heartbeatStaleMs: 180_000,
        boxes: [
          { box: 'athena', alive: true, lastBeatAt: at - 20_000, processes: [{ worker: 'athena@h:1', version: '0.9.0', at: at - 20_000, runs: ['dispatcher', 'scheduler', 'heartbeat'] }] },
          { box: 'tyche', alive: false, lastBeatAt: null, processes: [] },
        ],
        queues: [{ queue: 'kraite.cronjobs', waiting: 7, active: 0, oldestWaitingMs: 240_000 }],
      },
    }));
    const body = await (await fleetApp.request('/')).text();
    expect(body).toContain('<tr><td>athena</td><td>up</td><td>20 s ago</td><td>athena@h:1 v0.9.0 (dispatcher, scheduler, heartbeat, 20 s ago)</td></tr>');
    expect(body).toContain('<tr><td>tyche</td><td>DOWN</td><td>never</td>');
    expect(body).toContain('<tr><td>kraite.cronjobs</td><td>7</td><td>0</td><td>240000</td></tr>');
  });
  it('links to the admin and the console once they listen', async () => {
    let links = {};
    const linked = createStatusApp(async () => report, () => links);
    expect(await (await linked.request('/')).text()).not.toContain('<nav>');
    links = { admin: 'http://127.0.0.1:8081', console: 'http://127.0.0.1:8084' };
    const body = await (await linked.request('/')).text();
    expect(body).toContain('<a href="http://127.0.0.1:8084/">the console</a> (traders');
    expect(body).toContain('<a href="http://127.0.0.1:8081/">the admin</a> (operators');
  });
});
