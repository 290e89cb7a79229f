// Parses a frame of the all-symbols mark-price stream (`!markPrice@arr@1s`): a JSON array of
// markPriceUpdate objects, raw or wrapped as {stream, data} by the combined endpoint; a one-symbol
// stream's frame (`<symbol>@markPrice@1s`) is one such object. Anything else (subscription acks,
// unknown events, malformed entries) yields null or is skipped.

/** One symbol's mark price from a frame. */
export interface MarkPrice {
  symbol: string;
  /** Decimal string exactly as sent (never a float). */
  price: string;
  /** The funding rate the entry carries (`r`), when it is a decimal string. */
  fundingRate?: string;
}

/** A parsed data frame. */
export interface MarkPriceFrame {
  /** Event time of the newest entry (exchange clock, ms). */
  eventTime: number;
  prices: MarkPrice[];
  /** Entries that were not valid markPriceUpdates. */
  skipped: number;
}

const SYMBOL = /^[A-Z0-9]{2,32}$/;
const DECIMAL = /^\d{1,18}(\.\d{1,18})?$/;
const RATE = /^-?\d{1,4}(\.\d{1,18})?$/;

/** The frame's prices, or null when the message is not a mark-price data frame. */
export function parseMarkPriceFrame(text: string): MarkPriceFrame | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (body && typeof body === 'object' && !Array.isArray(body) && 'data' in body) body = (body as { data: unknown }).data;
  if (body && typeof body === 'object' && !Array.isArray(body) && (body as { e?: unknown }).e === 'markPriceUpdate') body = [body];
  if (!Array.isArray(body)) return null;
  const prices: MarkPrice[] = [];
  let eventTime = 0;
  let skipped = 0;
  for (const entry of body as unknown[]) {
    const e = entry as { e?: unknown; s?: unknown; p?: unknown; E?: unknown; r?: unknown } | null;
    if (!e || e.e !== 'markPriceUpdate' || typeof e.s !== 'string' || typeof e.p !== 'string' || !SYMBOL.test(e.s) || !DECIMAL.test(e.p)) {
      skipped += 1;
      continue;
    }
    prices.push({ symbol: e.s, price: e.p, ...(typeof e.r === 'string' && RATE.test(e.r) ? { fundingRate: e.r } : {}) });
    if (typeof e.E === 'number' && e.E > eventTime) eventTime = e.E;
  }
  if (prices.length === 0) return null;
  return { eventTime, prices, skipped };
}
