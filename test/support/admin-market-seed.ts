// Market rows for admin tests: exchange symbols in each state the symbols page tells apart (tradable,
// switched off, automatically blocked, never priced) and drift findings as the drift check stores them.
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { blockSymbol, recordMarkPrice, setSymbolFlags, toExchangeSymbol, upsertExchangeSymbol } from '../../core/trading/exchange-symbol.ts';
import { sampleSymbolInfo } from '../../core/trading/fixtures.ts';
import { TABLES } from '../../core/trading/tables.ts';

/** Ids of the seeded symbols by name. */
export type SymbolIds = Record<'BTCUSDT' | 'ETHUSDT' | 'SOLUSDT', number>;

/** BTCUSDT tradable and freshly priced; ETHUSDT switched off, never priced; SOLUSDT blocked after an unprovable cancel. */
export async function seedSymbols(store: StepStore, now: number): Promise<SymbolIds> {
  await store.transaction(async (tx) => {
    for (const s of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) await applyRowEffects(tx, upsertExchangeSymbol(sampleSymbolInfo(s), now - 86_400_000));
    await applyRowEffects(tx, [
      setSymbolFlags('BTCUSDT', { direction: 'LONG', isEligible: true }, now - 3_600_000),
      setSymbolFlags('SOLUSDT', { direction: 'SHORT', isEligible: true }, now - 3_600_000),
      blockSymbol('SOLUSDT', 'cancel of <rung 2> unprovable', now - 600_000),
      recordMarkPrice('BTCUSDT', '64250.1', now - 5_000),
      recordMarkPrice('SOLUSDT', '141.2', now - 900_000),
    ]);
  });
  const ids = {} as SymbolIds;
  for (const r of await store.findRows(TABLES.symbols, {})) {
    const s = toExchangeSymbol(r);
    ids[s.symbol as keyof SymbolIds] = s.id;
  }
  return ids;
}

/** Stores drift findings the way the engine stores a drift check's notify effects. */
export async function seedDrift(store: StepStore, findings: { account: string; symbol: string; kind: string; detail: string; at: number; stepId?: number }[]): Promise<void> {
  await store.transaction((tx) => tx.insertEvents(findings.map((f) => ({
    kind: 'notify', severity: 'warning', subject: `drift ${f.account} ${f.symbol} ${f.kind}`, message: f.detail, stepId: f.stepId ?? null, set: 'trading', createdAt: f.at,
  }))));
}
