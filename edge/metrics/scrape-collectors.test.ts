import { describe, expect, it } from 'vitest';
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import type { DispatchDaemon } from '../../core/steps/dispatch-daemon.ts';
import type { MarkPriceStats } from '../streams/mark-price/mark-price-daemon.ts';
import { createFleetMetrics } from './fleet-metrics.ts';
import { scrapeCollector } from './scrape-collectors.ts';

describe('scrapeCollector', () => {
  it('turns daemon counters into Prometheus counters by what grew since the last scrape, and sets the stream gauges', async () => {
    const m = createFleetMetrics();
    const daemon = { stats: { ticks: 5, dispatched: 9, groupFailures: 0, capped: 2, leftover: 1, lastTickAt: 1_000 } } as unknown as DispatchDaemon;
    const markPrice: MarkPriceStats = { frames: 10, rowsMatched: 0, writeFailures: 1, reconnects: 0, skippedEntries: 0, lastDataAt: 7_000, lastWriteMs: null };
    const streams = [{ accountId: 1, state: 'open' }, { accountId: 2, state: 'connecting' }, { accountId: 3, state: 'open' }];
    const userData = { status: () => ({ accounts: 3, open: 2, broken: [], streams, bootSummary: null }) as never, stop: async () => undefined };
    let now = 10_000;
    const collect = scrapeCollector(m, { queue: new MemoryQueue(), queues: [], daemon, governor: null, rows: null, userData, markPrice, now: () => now });
    const value = async (metric: { get(): Promise<{ values: { value: number; labels: Record<string, unknown> }[] }> }, labels: Record<string, string> = {}) =>
      (await metric.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;

    await collect();
    daemon.stats.ticks = 8;
    daemon.stats.capped = 3;
    markPrice.frames = 25;
    now = 12_000;
    await collect();
    await collect();
    expect([await value(m.dispatcherTicks), await value(m.dispatcherSaturated, { kind: 'capped' }), await value(m.dispatcherSaturated, { kind: 'leftover' })]).toEqual([8, 3, 1]);
    expect([await value(m.markPriceFrames), await value(m.markPriceWriteFailures), await value(m.markPriceSilence), await value(m.dispatcherLag)]).toEqual([25, 1, 5, 11]);
    expect([await value(m.userDataStreams, { state: 'open' }), await value(m.userDataStreams, { state: 'connecting' }), await value(m.userDataStreams, { state: 'waiting' })]).toEqual([2, 1, 0]);
  });
});
