import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryQueue } from '../adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../adapters/memory/memory-step-store.ts';
import { silentLogger } from '../ports/logger.ts';
import { result } from '../steps/effects.ts';
import { StepEngine } from '../steps/engine.ts';
import { defineHandler, HandlerRegistry } from '../steps/registry.ts';
import { TABLES, TRADING_UNIQUE_KEYS } from '../trading/tables.ts';
import { USER_DATA_HANDLER, USER_DATA_LANE, UserDataSink } from './user-data-sink.ts';

const handler = defineHandler({
  name: USER_DATA_HANDLER, lane: USER_DATA_LANE, set: 'trading',
  args: z.object({ accountId: z.number(), eventId: z.number().nullable(), frame: z.record(z.string(), z.unknown()) }),
  run: async () => result.complete(),
});

const fill = JSON.stringify({ e: 'ORDER_TRADE_UPDATE', E: 9, o: { s: 'ETHUSDT', c: 'k-1-entry', i: 5, x: 'TRADE', X: 'FILLED', l: '1', z: '1', t: 3 } });

function sinkWith(registry: HandlerRegistry, allowlist: string[]) {
  const store = new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS });
  const warnings: string[] = [];
  const logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
  const sink = new UserDataSink({ engine: new StepEngine({ store, queue: new MemoryQueue({ logger: silentLogger }), registry }), allowlist, logger });
  return { sink, store, warnings };
}

describe('UserDataSink', () => {
  it('enqueues an allowlisted frame once and audits every copy', async () => {
    const { sink, store } = sinkWith(new HandlerRegistry([handler]), ['TRADE']);
    const first = await sink.accept(1, fill, 100);
    const second = await sink.accept(1, fill, 101);
    expect(first).toMatchObject({ enqueued: true, duplicate: false, eventId: 1 });
    expect(second).toMatchObject({ enqueued: false, duplicate: true, eventId: 2 });
    expect(first.step).toMatchObject({ handler: USER_DATA_HANDLER, lane: USER_DATA_LANE, args: { accountId: 1, eventId: 1 } });
    expect(await store.findRows(TABLES.exchangeEvents, {})).toHaveLength(2);
  });

  it('tells onEnqueued the event time of each frame that became a step, once (frame-lag metrics)', async () => {
    const store = new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS });
    const times: number[] = [];
    const sink = new UserDataSink({ engine: new StepEngine({ store, queue: new MemoryQueue({ logger: silentLogger }), registry: new HandlerRegistry([handler]) }), allowlist: ['TRADE'], onEnqueued: (t) => times.push(t) });
    await sink.accept(1, fill, 100);
    await sink.accept(1, fill, 101);
    expect(times).toEqual([9]);
  });

  it('audits only when the execution type is off the allowlist', async () => {
    const { sink } = sinkWith(new HandlerRegistry([handler]), ['CANCELED']);
    expect(await sink.accept(1, fill, 100)).toMatchObject({ enqueued: false, duplicate: false, step: null, eventId: 1 });
  });

  it('falls back to shadow mode, with a warning, when no handler is registered', async () => {
    const { sink, warnings } = sinkWith(new HandlerRegistry(), ['TRADE']);
    expect(sink.enqueuing).toBe(false);
    expect(warnings).toEqual([`no ${USER_DATA_HANDLER} handler is registered: user-data frames are audited only (shadow mode)`]);
    expect(await sink.accept(1, fill, 100)).toMatchObject({ enqueued: false, eventId: 1 });
  });
});
