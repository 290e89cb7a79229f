// The notifications outbox relay over the memory store and MariaDB: unsent rows reach the notifier
// once, oldest first, stamped sent; a failed delivery leaves the row for the next pump.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import type { Notifier } from '../core/notify/notifier.port.ts';
import { OutboxRelay } from '../core/notify/outbox-relay.ts';
import { ManualClock } from '../core/ports/clock.ts';
import { silentLogger } from '../core/ports/logger.ts';
import type { StepStore } from '../core/steps/step-store.port.ts';
import { queueNotification } from '../core/trading/audit.ts';
import { TRADING_UNIQUE_KEYS } from '../core/trading/tables.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

let db: TestDatabase;
let mysql: StepStore;
beforeAll(async () => {
  db = await freshDatabase();
  mysql = await openMySqlStepStore(db.url);
});
afterAll(async () => {
  await mysql.close();
  await db.drop();
});

describe.each([
  ['memory', () => new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS }) as StepStore],
  ['mysql', () => mysql],
] as const)('outbox relay (%s)', (_name, storeOf) => {
  it('delivers each unsent row once, oldest first, and retries after a failure', async () => {
    const store = storeOf();
    const clock = new ManualClock();
    const insert = (subject: string, throttleKey?: string) => store.transaction(async (tx) => {
      const e = queueNotification({ subject, message: `${subject} message`, severity: 'warning', throttleKey }, clock.now());
      await tx.insertRow(e.table, e.row);
    });
    await insert('position 7 stop loss missing', 'position:7:sl');
    await insert('account 3 balance low');
    const sent: string[] = [];
    let down = true;
    const notifier: Notifier = { deliver: async (subject, message) => {
      if (down) throw new Error('pushover unreachable');
      sent.push(`${subject} | ${message}`);
      return 'sent';
    } };
    const relay = new OutboxRelay({ store, notifier, clock, logger: silentLogger });
    expect(await relay.pump()).toBe(0);
    expect((await store.findRows('notifications', { sent_at: null })).length).toBe(2);
    down = false;
    clock.advance(1000);
    expect(await relay.pump()).toBe(2);
    expect(await relay.pump()).toBe(0);
    expect(sent).toEqual(['position:7:sl | position 7 stop loss missing message', 'account 3 balance low | account 3 balance low message']);
    expect((await store.findRows('notifications', { sent_at: clock.now() })).length).toBe(2);
  });
});
