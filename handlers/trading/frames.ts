// User-data frames as the trading handlers read them: zod schemas for the three frames that matter
// (order, algo order, account update), converted to the port's Order / AlgoOrder shapes so a
// frame and a REST answer go through the same echo mapping. Unknown fields pass; missing ones fail
// with the field named.
import { z } from 'zod';
import type { AlgoOrder, Order } from '../../core/exchange/exchange.port.ts';
import { compareDecimal, dec as decimal, toDecimalString } from '../../core/exchange/precision.ts';
import type { TradeReport } from '../../core/trading/order-merge.ts';

const num = z.union([z.string(), z.number()]).transform((v) => String(v));
const dec = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string');

/** ORDER_TRADE_UPDATE (the fields we use). */
export const orderFrame = z.object({
  e: z.literal('ORDER_TRADE_UPDATE'),
  E: z.number(),
  o: z.object({
    s: z.string(), c: z.string(), S: z.enum(['BUY', 'SELL']), o: z.string(), X: z.string(), x: z.string(), i: num,
    p: dec, q: dec, z: dec, ap: dec.optional(), T: z.number(), f: z.string().optional(), ps: z.enum(['BOTH', 'LONG', 'SHORT']).default('BOTH'),
    R: z.boolean().default(false), cp: z.boolean().default(false), l: dec.optional(), n: dec.optional(),
  }).passthrough(),
}).passthrough();

/** ALGO_UPDATE (the fields we use). */
export const algoFrame = z.object({
  e: z.literal('ALGO_UPDATE'),
  E: z.number(),
  o: z.object({
    caid: z.string(), aid: num, s: z.string(), S: z.enum(['BUY', 'SELL']), o: z.string(), X: z.string(), tp: dec, q: dec.optional(),
    ps: z.enum(['BOTH', 'LONG', 'SHORT']).default('BOTH'), cp: z.boolean().default(false), R: z.boolean().default(false), pP: z.boolean().default(false),
    ai: z.union([z.string(), z.number()]).optional(), ap: dec.optional(), aq: dec.optional(),
  }).passthrough(),
}).passthrough();

/** ACCOUNT_UPDATE (positions only). */
export const accountFrame = z.object({
  e: z.literal('ACCOUNT_UPDATE'),
  E: z.number(),
  a: z.object({ P: z.array(z.object({ s: z.string(), pa: dec, ps: z.string().optional() }).passthrough()).default([]) }).passthrough(),
}).passthrough();

/** The port's Order from an order frame. */
export function orderOfFrame(f: z.output<typeof orderFrame>): Order {
  const o = f.o;
  return {
    symbol: o.s, orderId: o.i, clientOrderId: o.c, side: o.S, positionSide: o.ps, type: o.o, status: o.X, timeInForce: o.f ?? 'GTC',
    price: o.p, origQty: o.q, executedQty: o.z, ...(o.ap !== undefined ? { avgPrice: o.ap } : {}), reduceOnly: o.R, closePosition: o.cp,
    updateTime: o.T, raw: f,
  };
}

/**
 * The one trade an order frame reports (execution type TRADE): its quantity `l` and commission `n`,
 * which Binance leaves out when there is none. Unsigned, as the ledger books trades' commissions.
 */
export function tradeOfFrame(f: z.output<typeof orderFrame>): TradeReport | undefined {
  const { x, l, n } = f.o;
  if (x !== 'TRADE' || l === undefined || compareDecimal(l, 0) <= 0) return undefined;
  return { qty: l, commission: toDecimalString(decimal(n ?? '0').abs()) };
}

/** The port's AlgoOrder from an algo frame. */
export function algoOfFrame(f: z.output<typeof algoFrame>): AlgoOrder {
  const o = f.o;
  const triggered = o.ai !== undefined && String(o.ai) !== '';
  return {
    algoId: o.aid, clientAlgoId: o.caid, symbol: o.s, side: o.S, positionSide: o.ps, type: o.o, status: o.X, triggerPrice: o.tp,
    ...(o.q !== undefined ? { quantity: o.q } : {}), closePosition: o.cp, reduceOnly: o.R, priceProtect: o.pP,
    ...(triggered ? { actualOrderId: String(o.ai) } : {}), ...(o.ap !== undefined ? { actualPrice: o.ap } : {}), ...(o.aq !== undefined ? { actualQty: o.aq } : {}),
    updateTime: f.E, raw: f,
  };
}

/** The first problem zod found, as "field: message". */
export function frameProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(frame)'}: ${issue?.message ?? 'invalid'}`;
}
