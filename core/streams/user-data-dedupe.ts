// The dedupe key of an enqueued user-data frame: the same frame delivered twice (a duplicated
// frame, a replay) maps to the same key, so the engine creates one step; two distinct events
// never share a key. Keys fit the steps table's VARCHAR(191) dedupe_key column.
import type { ClassifiedFrame } from './user-data-frames.ts';

const MAX_KEY = 191;

/**
 * The key for a frame that will be enqueued, or null when the frame is not one (no execution type).
 *
 * - ORDER_TRADE_UPDATE: `ud:<account>:o:<symbol>:<orderId>:<x>:<E>:<tradeId>:<cumQty>`. Order ids
 *   are per symbol on Binance, hence the symbol. Each fill has its own trade id and a larger
 *   cumulative quantity, so two partial fills never collide even within one millisecond; an
 *   AMENDMENT (no trade) is told apart by its event time; terminal states happen once per order.
 * - ALGO_UPDATE: `ud:<account>:a:<algoId>:<status>:<E>`: algo ids are exchange-wide and each
 *   status is reported once (NEW twice for trailing stops, and NEW is not enqueued).
 * - ACCOUNT_UPDATE with zero legs: `ud:<account>:p:<E>:<T>:<reason>:<symbol/side of each zero leg>`.
 *
 * Byte-identical duplicates produce identical keys; nothing is derived from arrival time.
 */
export function dedupeKeyFor(accountId: number, c: ClassifiedFrame): string | null {
  if (!c.executionType || !c.frame) return null;
  const f = c.frame as Record<string, any>;
  let key: string;
  if (c.kind === 'order') {
    const o = f.o;
    key = ['ud', accountId, 'o', o.s, o.i, o.x, f.E, o.t ?? 0, o.z].join(':');
  } else if (c.kind === 'algo') {
    key = ['ud', accountId, 'a', f.o.aid, f.o.X, f.E].join(':');
  } else if (c.kind === 'account') {
    const legs = (f.a.P as { s: string; pa: string; ps?: string }[])
      .filter((leg) => /^-?0+(\.0+)?$/.test(leg.pa)).map((leg) => `${leg.s}/${leg.ps ?? ''}`).sort().join(',');
    key = ['ud', accountId, 'p', f.E, f.T ?? 0, f.a.m, legs].join(':');
  } else {
    return null;
  }
  return key.length <= MAX_KEY ? key : `${key.slice(0, MAX_KEY - 18)}:h${fnv1a64(key)}`;
}

// FNV-1a over UTF-16 code units, 64-bit via BigInt: a stable short digest for overlong keys.
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
