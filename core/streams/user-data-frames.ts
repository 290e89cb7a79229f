// Parses one user-data stream frame (binance-reference.md §4) and decides what it is: an order
// or algo update with its execution type, an account update (zero-quantity legs matter), a
// listen-key expiry, a known frame we only audit, or an unknown / malformed one with a reason.
// Runtime-neutral and total: any input yields a classification, never an exception.
import { z } from 'zod';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const decimal = z.string().regex(DECIMAL, 'must be a decimal string');
const symbol = z.string().min(1).max(32);
const eventTime = z.number().int().nonnegative();

const orderTradeUpdate = z.looseObject({
  e: z.literal('ORDER_TRADE_UPDATE'),
  E: eventTime,
  T: eventTime.optional(),
  o: z.looseObject({
    s: symbol,
    c: z.string().max(64),
    i: z.number().int().nonnegative(),
    x: z.string().min(1).max(32),
    X: z.string().min(1).max(32),
    l: decimal,
    z: decimal,
    t: z.number().int().nonnegative().optional(),
  }),
});

const algoUpdate = z.looseObject({
  e: z.literal('ALGO_UPDATE'),
  E: eventTime,
  T: eventTime.optional(),
  o: z.looseObject({
    s: symbol,
    caid: z.string().max(64),
    aid: z.number().int().nonnegative(),
    X: z.string().min(1).max(32),
  }),
});

const accountUpdate = z.looseObject({
  e: z.literal('ACCOUNT_UPDATE'),
  E: eventTime,
  T: eventTime.optional(),
  a: z.looseObject({
    m: z.string().max(64),
    B: z.array(z.looseObject({ a: z.string() })).default([]),
    P: z.array(z.looseObject({ s: symbol, pa: decimal, ps: z.string().max(8).optional() })).default([]),
  }),
});

const listenKeyExpired = z.looseObject({ e: z.literal('listenKeyExpired'), E: eventTime, listenKey: z.string().optional() });

const anyEvent = z.looseObject({ e: z.string().min(1).max(64), E: eventTime.optional() });

/** Frames Binance documents that the trading code does not act on: audited only. */
export const AUDIT_ONLY_EVENTS: readonly string[] = [
  'TRADE_LITE', 'MARGIN_CALL', 'ACCOUNT_CONFIG_UPDATE', 'CONDITIONAL_ORDER_TRIGGER_REJECT', 'STRATEGY_UPDATE', 'GRID_UPDATE',
];

/** The allowlist token of an ACCOUNT_UPDATE that reports a position leg at amount 0. */
export const POSITION_ZERO = 'POSITION_ZERO';

/**
 * Execution types enqueued by default (streams-and-scheduler.md): order fills, amendments and
 * terminal states, the algo equivalents (prefixed ALGO_), and the zero-quantity account update.
 * NEW and ALGO_NEW stay off (noise).
 */
export const DEFAULT_ALLOWLIST: readonly string[] = [
  'TRADE', 'AMENDMENT', 'CANCELED', 'EXPIRED', 'REJECTED',
  'ALGO_TRIGGERED', 'ALGO_FINISHED', 'ALGO_CANCELED', 'ALGO_EXPIRED', 'ALGO_REJECTED',
  POSITION_ZERO,
];

/** Every token the allowlist may hold (anything else is a typo and refused). */
export const KNOWN_EXECUTION_TYPES: readonly string[] = [
  'NEW', 'TRADE', 'AMENDMENT', 'CANCELED', 'EXPIRED', 'REJECTED', 'CALCULATED',
  'ALGO_NEW', 'ALGO_TRIGGERING', 'ALGO_TRIGGERED', 'ALGO_FINISHED', 'ALGO_CANCELED', 'ALGO_EXPIRED', 'ALGO_REJECTED',
  POSITION_ZERO,
];

/** What a frame turned out to be. */
export type FrameKind = 'order' | 'algo' | 'account' | 'listen-key-expired' | 'audit-only' | 'unknown' | 'malformed';

/** A classified frame: what to audit, whether it can be enqueued, and why not when it is bad. */
export interface ClassifiedFrame {
  kind: FrameKind;
  /** exchange_events.event_type: the frame's `e`, or "malformed" when there is none. */
  eventType: string;
  eventTime: number | null;
  symbol: string | null;
  clientOrderId: string | null;
  /** The allowlist token (TRADE, ALGO_FINISHED, POSITION_ZERO…), or null when there is nothing to act on. */
  executionType: string | null;
  /** The parsed frame object (unwrapped from a combined-stream envelope); null when not JSON. */
  frame: Record<string, unknown> | null;
  /** What goes into exchange_events.payload: the frame, or `{ text }` for what was not a JSON object. */
  payload: unknown;
  /** For unknown and malformed frames: a sentence naming the problem. */
  reason?: string;
}

const MAX_AUDITED_TEXT = 4096;

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(frame)'}: ${issue?.message ?? 'invalid'}`;
}

function bad(kind: 'unknown' | 'malformed', eventType: string, frame: Record<string, unknown> | null, payload: unknown, reason: string): ClassifiedFrame {
  return { kind, eventType, eventTime: null, symbol: null, clientOrderId: null, executionType: null, frame, payload, reason };
}

/** Classifies one text frame of a user-data stream; never throws. */
export function classifyFrame(text: string): ClassifiedFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bad('malformed', 'malformed', null, { text: text.slice(0, MAX_AUDITED_TEXT) }, 'frame is not JSON');
  }
  // Combined-stream form: {"stream": "<listenKey>", "data": {...}}.
  if (isObject(json) && typeof json.stream === 'string' && isObject(json.data)) json = json.data;
  if (!isObject(json)) return bad('malformed', 'malformed', null, { text: text.slice(0, MAX_AUDITED_TEXT) }, 'frame is not a JSON object');
  return classifyObject(json);
}

/** Classifies an already parsed frame object; never throws. */
export function classifyObject(frame: Record<string, unknown>): ClassifiedFrame {
  const head = anyEvent.safeParse(frame);
  if (!head.success) return bad('malformed', 'malformed', frame, frame, `frame has no valid event type: ${issueText(head.error)}`);
  const e = head.data.e;
  const E = head.data.E ?? null;
  const invalid = (error: z.ZodError) => ({ ...bad('malformed', e, frame, frame, `${e} frame is invalid at ${issueText(error)}`), eventTime: E });
  switch (e) {
    case 'ORDER_TRADE_UPDATE': {
      const p = orderTradeUpdate.safeParse(frame);
      if (!p.success) return invalid(p.error);
      const o = p.data.o;
      return { kind: 'order', eventType: e, eventTime: p.data.E, symbol: o.s, clientOrderId: o.c, executionType: o.x, frame: p.data, payload: frame };
    }
    case 'ALGO_UPDATE': {
      const p = algoUpdate.safeParse(frame);
      if (!p.success) return invalid(p.error);
      const o = p.data.o;
      return { kind: 'algo', eventType: e, eventTime: p.data.E, symbol: o.s, clientOrderId: o.caid, executionType: `ALGO_${o.X}`, frame: p.data, payload: frame };
    }
    case 'ACCOUNT_UPDATE': {
      const p = accountUpdate.safeParse(frame);
      if (!p.success) return invalid(p.error);
      const zero = zeroLegs(p.data.a.P);
      return {
        kind: 'account', eventType: e, eventTime: p.data.E, symbol: zero.length === 1 ? zero[0]!.s : null, clientOrderId: null,
        executionType: zero.length > 0 ? POSITION_ZERO : null, frame: p.data, payload: frame,
      };
    }
    case 'listenKeyExpired': {
      const p = listenKeyExpired.safeParse(frame);
      if (!p.success) return invalid(p.error);
      return { kind: 'listen-key-expired', eventType: e, eventTime: p.data.E, symbol: null, clientOrderId: null, executionType: null, frame: p.data, payload: frame };
    }
    default: {
      if (AUDIT_ONLY_EVENTS.includes(e)) {
        const s = typeof frame.s === 'string' && frame.s.length <= 32 ? frame.s : null;
        return { kind: 'audit-only', eventType: e, eventTime: E, symbol: s, clientOrderId: null, executionType: null, frame, payload: frame };
      }
      return { ...bad('unknown', e, frame, frame, `unknown event type "${e}"`), eventTime: E };
    }
  }
}

/** Position legs of an ACCOUNT_UPDATE whose amount is zero (closed: start the priority cancel). */
export function zeroLegs(legs: readonly { s: string; pa: string; ps?: string }[]): { s: string; ps?: string }[] {
  return legs.filter((leg) => /^-?0+(\.0+)?$/.test(leg.pa));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
