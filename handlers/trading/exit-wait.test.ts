import { describe, expect, it } from 'vitest';
import { AmbiguousMutationError, RejectedExchangeError, RetryableExchangeError } from '../../core/exchange/exchange-errors.ts';
import { ManualClock } from '../../core/ports/clock.ts';
import type { HandlerContext, Job } from '../../core/steps/context.ts';
import { result } from '../../core/steps/effects.ts';
import { ExposureRemainsError } from './exit-steps.ts';
import { isExchangeOutage, outageWaitMs, waitingOutOutages } from './exit-wait.ts';

const outage = () => new RetryableExchangeError('EXCHANGE_UNAVAILABLE', '503', { endpoint: 'GET /fapi/v3/positionRisk', httpStatus: 503 });
const quiet = { warn: () => undefined, info: () => undefined, error: () => undefined, debug: () => undefined, child: () => quiet };

function run(elapsedMs: number, error: unknown) {
  const clock = new ManualClock(1_000_000 + elapsedMs);
  const job = { handler: 'trading.close.flatten', createdAt: 1_000_000 } as Job<unknown>;
  const ctx = { clock, log: quiet } as unknown as HandlerContext;
  return waitingOutOutages(job, ctx, 600_000, async () => {
    throw error;
  });
}

describe('exit steps wait out exchange outages', () => {
  it('counts 5xx and network errors on reads, and lost cancel answers, as outages; refusals and our own waits are not', () => {
    expect(isExchangeOutage(outage())).toBe(true);
    // A network error carries no HTTP status, only the endpoint it was reading.
    expect(isExchangeOutage(new RetryableExchangeError('EXCHANGE_UNAVAILABLE', 'fetch failed', { endpoint: 'GET /fapi/v1/openOrders' }))).toBe(true);
    expect(isExchangeOutage(new AmbiguousMutationError('lost', { endpoint: 'DELETE /fapi/v1/order' }))).toBe(true);
    // A lost placement answer must spend its attempt: the next one looks the client id up before sending.
    expect(isExchangeOutage(new AmbiguousMutationError('lost', { endpoint: 'POST /fapi/v1/order' }))).toBe(false);
    expect(isExchangeOutage(new RejectedExchangeError('MIN_NOTIONAL', 'no', { endpoint: 'GET /fapi/v1/order' }))).toBe(false);
    expect(isExchangeOutage(new ExposureRemainsError('0.1', 'ETHUSDT'))).toBe(false);
  });

  it('turns an outage into a throttle wait (the attempt given back) until the budget is spent, then throws', async () => {
    expect(await run(0, outage())).toMatchObject({ outcome: { kind: 'retry-after', throttle: true, ms: 1_000 } });
    expect(await run(200_000, outage())).toMatchObject({ outcome: { kind: 'retry-after', throttle: true, ms: 60_000 } });
    // Never waits past the budget.
    expect(await run(590_000, outage())).toMatchObject({ outcome: { kind: 'retry-after', ms: 10_000 } });
    await expect(run(600_000, outage())).rejects.toThrow('503');
    await expect(run(0, new ExposureRemainsError('0.1', 'ETHUSDT'))).rejects.toThrow('remains');
  });

  it('waits half the time waited so far, between 1 s and 1 min', () => {
    expect([outageWaitMs(0), outageWaitMs(10_000), outageWaitMs(1_000_000)]).toEqual([1_000, 5_000, 60_000]);
  });

  it('passes a result through untouched', async () => {
    const ok = result.complete([], 'fine');
    const job = { createdAt: 0 } as Job<unknown>;
    expect(await waitingOutOutages(job, { clock: new ManualClock(0), log: quiet } as unknown as HandlerContext, 1, async () => ok)).toBe(ok);
  });
});
