// Saved backtests (infra/migrations/0021_backtests.sql; the report is built in edge/backtest): `kraite backtest --save` writes a run, the
// admin's Backtests page lists and shows them.
import type { Row } from '../steps/effects.ts';
import type { RowReader, StepStore } from '../steps/step-store.port.ts';

/** A summary's figures as stored (edge/backtest/report.ts Summary). */
export type SavedSummary = Record<string, string | number | null>;

/** A trade row as stored (edge/backtest/report.ts TradeRow). */
export interface SavedTrade {
  id: number;
  symbol: string;
  direction: string;
  status: string;
  openedAt: number | null;
  closedAt: number | null;
  entryPrice: string | null;
  rungsFilled: number;
  rungs: number;
  exitReason: string | null;
  closingPrice: string | null;
  grossPnl: string;
  fees: string;
  funding: string;
  netPnl: string;
  /** Frozen at activation: what the whole ladder stopped out would lose. */
  worstCaseLoss: string | null;
  /** The most the position was down (unrealised) at any price of the path, as a positive loss. */
  worstLossReached: string;
}

/** What a run's report must carry to be saved. */
export interface SavableReport {
  settings: Record<string, unknown>;
  range: { from: string; to: string; candles: number };
  startingBalance: string;
  finalBalance: string;
  total: SavedSummary & { netPnl: string };
  perSymbol: Record<string, SavedSummary>;
  trades: SavedTrade[];
  equity: Array<[number, number]>;
}

/** The table's name. */
export const BACKTESTS_TABLE = 'backtests';

/** A saved run as the admin reads it. */
export interface SavedBacktest {
  id: number;
  symbols: string;
  from: number;
  to: number;
  candles: number;
  startingBalance: string;
  finalBalance: string;
  netPnl: string;
  report: Pick<SavableReport, 'settings' | 'total' | 'perSymbol' | 'trades' | 'equity'>;
  createdAt: number;
}

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) as unknown : v);

/** Stores a report; returns its id. */
export async function saveBacktest(store: StepStore, report: SavableReport, now: number): Promise<number> {
  const row: Row = {
    symbols: String(report.settings.symbols ?? Object.keys(report.perSymbol).join(',')), range_from: Date.parse(report.range.from), range_to: Date.parse(report.range.to),
    candles: report.range.candles, starting_balance: report.startingBalance, final_balance: Number(report.finalBalance).toFixed(8),
    net_pnl: Number(report.total.netPnl).toFixed(8), settings_json: JSON.stringify(report.settings),
    summary_json: JSON.stringify({ total: report.total, perSymbol: report.perSymbol }), equity_json: JSON.stringify(report.equity),
    trades_json: JSON.stringify(report.trades), created_at: now,
  };
  return store.transaction(async (tx) => {
    await tx.insertRow(BACKTESTS_TABLE, row);
    const [saved] = await tx.findRows(BACKTESTS_TABLE, { created_at: now }, { orderBy: 'id', desc: true, limit: 1 });
    return Number(saved!.id);
  });
}

function toSaved(r: Row): SavedBacktest {
  const summary = json(r.summary_json) as Pick<SavableReport, 'total' | 'perSymbol'>;
  return {
    id: Number(r.id), symbols: String(r.symbols), from: Number(r.range_from), to: Number(r.range_to), candles: Number(r.candles),
    startingBalance: String(r.starting_balance), finalBalance: String(r.final_balance), netPnl: String(r.net_pnl),
    report: { settings: json(r.settings_json) as Record<string, unknown>, ...summary, trades: json(r.trades_json) as SavedTrade[], equity: json(r.equity_json) as SavableReport['equity'] },
    createdAt: Number(r.created_at),
  };
}

/** The newest saved runs. */
export async function listBacktests(rows: RowReader, limit = 100): Promise<SavedBacktest[]> {
  return (await rows.findRows(BACKTESTS_TABLE, {}, { orderBy: 'id', desc: true, limit })).map(toSaved);
}

/** One saved run, or null. */
export async function getBacktest(rows: RowReader, id: number): Promise<SavedBacktest | null> {
  const [r] = await rows.findRows(BACKTESTS_TABLE, { id }, { limit: 1 });
  return r ? toSaved(r) : null;
}
