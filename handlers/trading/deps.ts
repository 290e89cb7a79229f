// What the trading handlers are built with: how to reach an account's exchange, the client id
// namespace, the flatness rule's gap and the regime's decision boundary. Passed once to
// tradingHandlers(deps); the handlers stay pure `(job, ctx) => effects` over these ports.
import type { OpenAllowance } from '../../core/market/regime/allowance.ts';
import type { AccountRow } from '../../core/trading/account.ts';
import type { ExchangeDirectory } from '../../core/trading/exchange-directory.ts';
import type { CandidateRanking } from './preflight.ts';

export type { ExchangeDirectory } from '../../core/trading/exchange-directory.ts';
export type { OpenAllowance } from '../../core/market/regime/allowance.ts';

/** Asks the regime whether and how an account may open; absent = always allowed, unscaled. */
export type AllowanceSource = (account: AccountRow, now: number) => Promise<OpenAllowance>;

/** Construction parameters of the trading handlers. */
export interface TradingDeps {
  exchanges: ExchangeDirectory;
  /** Client order id namespace (1-4 alphanumerics); 'k' unless a test isolates itself. */
  prefix?: string;
  /** Gap between the two position reads that prove flatness (trading.md: 20 s). */
  flatReadGapMs?: number;
  /** A position closed within this long of opening is flagged a fast trade. */
  fastTradeMs?: number;
  /** How long an exit step waits out 5xx and network errors on reads before spending attempts (exit-wait.ts). */
  exitOutageBudgetMs?: number;
  /** A position in an exit or a WAP with no write for this long is re-driven by the supervisor (supervise.ts). */
  exitDeadlineMs?: number;
  allowance?: AllowanceSource;
  /** Ranks candidate symbols for free slots; absent = the symbols' stored direction and eligibility flags. */
  ranking?: CandidateRanking;
}

/** Defaults for what the deps may omit. */
export const TRADING_DEFAULTS = {
  prefix: 'k', flatReadGapMs: 20_000, fastTradeMs: 5 * 60_000, exitOutageBudgetMs: 10 * 60_000, exitDeadlineMs: 30 * 60_000,
} as const;

/** Unlimited, unscaled: what the open flow uses when no regime is wired in. */
export const OPEN_ALWAYS: OpenAllowance = {
  allowed: true, reason: 'no regime gate', maxPerDirection: { LONG: Number.MAX_SAFE_INTEGER, SHORT: Number.MAX_SAFE_INTEGER },
  leverageFactor: 1, marginFactor: 1, band: null, score: null,
};
