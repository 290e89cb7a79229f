// `kraite regime` and `kraite regime:override` against a real MariaDB: the state as the boundary
// sees it, an audited override, and bad arguments refused with the flag named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cooldownWrites, MARKET_TABLES, regimeScore, snapshotInserts } from '../core/market/index.ts';
import type { InsertEffect, UpdateEffect } from '../core/steps/effects.ts';
import { applyRowEffects } from '../core/trading/index.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { parseUntil } from '../edge/cli/commands/regime.command.ts';
import { main } from '../edge/cli/main.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

let db: TestDatabase;
const run = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { DATABASE_URL: db.url, REDIS_URL: '', USER: 'ops' } });
  return { code, out: out.join('\n'), err: err.join('\n') };
};
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('kraite regime', () => {
  it('shows no data as failing open, then a Critical snapshot with its signals and cooldown, then an override beating it', async () => {
    expect(await run('regime')).toMatchObject({ code: 0, out: expect.stringContaining('regime: no snapshot yet (fails open)') });
    const now = Date.now();
    const { score, signals } = regimeScore({ btc_drawdown: 20, btc_volatility: 4, breadth_falling: 0.8, downside_correlation: 0.5, btc_dislocation: 10 });
    const store = await openMySqlStepStore(db.url, { connectionLimit: 1 });
    try {
      await store.transaction((tx) => applyRowEffects(tx, [
        ...snapshotInserts({ periodAt: now - 3_600_000, computedAt: now - 60_000, score, signals }),
        ...cooldownWrites({ armedAt: now - 60_000, until: now + 86_400_000, armedScore: score }, now),
      ] as (InsertEffect | UpdateEffect)[]));
    } finally {
      await store.close();
    }
    const shown = await run('regime');
    expect(shown.out).toContain(`regime: Critical  score ${score.toFixed(2)}`);
    expect(shown.out).toMatch(/btc_drawdown\s+20\.0000\s+threshold 8\s+FIRED \+30\.00/);
    expect(shown.out).toMatch(/downside_correlation\s+0\.5000\s+threshold 0\.7\s+\+0\.00/);
    expect(shown.out).toContain('cooldown: active until');
    expect(shown.out).toContain('new opens: BLOCKED (Critical');

    const set = await run('regime:override', '--allow', '--until', '2h', '--reason', 'exchange glitch, not a crash');
    expect(set.code).toBe(0);
    expect(set.out).toContain('override set: allow new opens until');
    expect(set.out).toContain('new opens: allowed (allowed by operator override by ops');
    const json = JSON.parse((await run('regime', '--json')).out);
    expect(json).toMatchObject({ stale: false, override: { mode: 'allow', createdBy: 'ops' }, allowance: { allowed: true } });

    const audit = await openMySqlStepStore(db.url, { connectionLimit: 1 });
    try {
      expect(await audit.findRows(MARKET_TABLES.overrides, {})).toEqual([expect.objectContaining({ mode: 'allow', created_by: 'ops', reason: 'exchange glitch, not a crash' })]);
    } finally {
      await audit.close();
    }
  });

  it('refuses bad override arguments, naming the flag', async () => {
    expect(await run('regime:override', '--until', '2h', '--reason', 'why not')).toMatchObject({ code: 2, err: expect.stringContaining('exactly one of --allow or --block') });
    expect(await run('regime:override', '--block', '--reason', 'why not')).toMatchObject({ code: 2, err: expect.stringContaining('needs --until') });
    expect(await run('regime:override', '--block', '--until', 'tomorrow', '--reason', 'why not')).toMatchObject({ code: 2, err: expect.stringContaining('--until: not an ISO time') });
    expect(await run('regime:override', '--block', '--until', '9d', '--reason', 'why not')).toMatchObject({ code: 2, err: expect.stringContaining('--until: at most 7 days ahead') });
    expect(await run('regime:override', '--block', '--until', '2h', '--reason', 'x')).toMatchObject({ code: 2, err: expect.stringContaining('--reason: give a reason') });
    expect(parseUntil('90m', 0)).toBe(90 * 60_000);
    expect(parseUntil('2026-11-24T08:00:00Z', 0)).toBe(Date.UTC(2026, 10, 24, 8));
  });
});
