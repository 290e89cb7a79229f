// Dead-man alerting that outlives the box it watches: `kraite run --box` tyche, athena and pheme on
// one Redis; tyche goes down and stays down past the heartbeat limit. Before, the only check was a
// step athena's scheduler created on tyche's own `cronjobs` lane: nobody paged. Now every process
// watches the others: the page comes from athena or pheme, exactly once, and the cold start (four
// boxes of the topology never started here) pages nothing. pheme's status page shows the fleet.
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../edge/cli/main.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';
import { until } from './support/wait-until.ts';

const keys = testPrefix();
afterAll(async () => {
  await keys.cleanup();
});

const env = {
  REDIS_URL, KRAITE_QUEUE_PREFIX: keys.prefix, KRAITE_PORT: '0', LOG_LEVEL: 'warn',
  KRAITE_HEARTBEAT_EVERY_MS: '250', KRAITE_HEARTBEAT_STALE_MS: '1500', KRAITE_HEARTBEAT_COLD_START_MS: '600000',
};

function box(name: string) {
  const out: string[] = [];
  const stop = new AbortController();
  const running = main(['run', '--box', name], { out: (l) => out.push(l), err: (l) => out.push(l), env, signal: stop.signal });
  return { name, out, running, stop: async () => (stop.abort(), expect(await running).toBe(0)) };
}

const pagesAbout = (boxes: ReturnType<typeof box>[], what: RegExp) => boxes.flatMap((b) => b.out.filter((l) => what.test(l)).map((l) => ({ by: b.name, line: l })));

describe('tyche down past the heartbeat limit', () => {
  it('is paged once, by another box', async () => {
    const tyche = box('tyche');
    const athena = box('athena');
    const pheme = box('pheme');
    const watchers = [athena, pheme];
    try {
      // The URLs come in the start-up block, after the banner's consuming line.
      await until('three boxes up', () => [tyche, athena, pheme].every((b) => b.out.some((l) => l.includes('consuming:'))) && pheme.out.some((l) => l.includes('status: ')), 30_000, 50);
      const status = pheme.out.find((l) => l.includes('status: '))!.match(/status: (\S+)\//)![1]!;
      await until('pheme sees three boxes up', async () => {
        const r = (await (await fetch(`${status}/status.json`)).json()) as { fleet: { boxes: { box: string; alive: boolean }[] } };
        return r.fleet.boxes.filter((b) => b.alive).map((b) => b.box).sort().join() === 'athena,pheme,tyche';
      }, 10_000, 50);

      await tyche.stop();
      const downAt = Date.now();
      await until('a page about tyche', () => pagesAbout(watchers, /box tyche last published a heartbeat/).length > 0, 15_000, 50);
      const firstPageMs = Date.now() - downAt;
      // Every watcher has checked several more times since: still one page.
      await new Promise((r) => setTimeout(r, 1_500));
      const pages = pagesAbout(watchers, /box tyche last published a heartbeat/);
      expect(pages).toHaveLength(1);
      expect(pages[0]!.line).toMatch(/"alert":"fleet:heartbeat:tyche"/);
      expect(pages[0]!.line).toMatch(new RegExp(`seen by ${pages[0]!.by}@`));
      expect(firstPageMs).toBeLessThan(1_500 + 2_000);
      // The cold start of the boxes never started here (eos, iris, nyx, hemera) paged nothing.
      expect(pagesAbout(watchers, /never published a heartbeat/)).toEqual([]);

      const r = (await (await fetch(`${status}/status.json`)).json()) as { boxes: string[]; fleet: { boxes: { box: string; alive: boolean }[]; queues: { queue: string }[] } };
      expect(r.boxes).toEqual(['pheme']);
      expect(r.fleet.boxes.map((b) => `${b.box}:${b.alive ? 'up' : 'down'}`)).toEqual(['athena:up', 'eos:down', 'iris:down', 'nyx:down', 'hemera:down', 'tyche:down', 'pheme:up']);
      expect(r.fleet.queues.map((q) => q.queue)).toContain('kraite.cronjobs');
      const page = await (await fetch(`${status}/`)).text();
      expect(page).toContain('<tr><td>tyche</td><td>DOWN</td>');
    } finally {
      for (const b of watchers) await b.stop();
    }
  }, 90_000);
});
