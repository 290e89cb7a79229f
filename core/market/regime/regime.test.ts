import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../ports/clock.ts';
import { openAllowance, type AllowanceInput } from './allowance.ts';
import { bandEffects, bandOf } from './bands.ts';
import { applyCooldown, cooldownActive, NO_COOLDOWN, type CooldownState } from './cooldown.ts';
import { currentOverride, newOverride, type RegimeOverride } from './override.ts';
import { ShockDetector } from './shock.ts';
import { readSignals, regimeScore, signalPoints, SIGNALS } from './signals.ts';

const HOUR = 3_600_000;

describe('bands', () => {
  it.each([
    [0, 'Calm'], [39, 'Calm'], [39.99, 'Calm'], [40, 'Elevated'], [59.99, 'Elevated'], [60, 'Fragile'],
    [79.99, 'Fragile'], [80, 'Critical'], [100, 'Critical'], [-5, 'Calm'], [150, 'Critical'],
  ])('score %d is %s', (score, band) => {
    expect(bandOf(score)).toBe(band);
  });

  it('applies each band\'s leverage, count and margin', () => {
    expect(bandEffects(39.99)).toEqual({ band: 'Calm', opensAllowed: true, leverageFactor: 1, countFactor: 1, marginFactor: 1 });
    expect(bandEffects(40)).toEqual({ band: 'Elevated', opensAllowed: true, leverageFactor: 0.66, countFactor: 0.75, marginFactor: 1 });
    expect(bandEffects(59.99)).toMatchObject({ band: 'Elevated', marginFactor: 1 });
    expect(bandEffects(60)).toEqual({ band: 'Fragile', opensAllowed: true, leverageFactor: 0.5, countFactor: 0.5, marginFactor: 1 });
    expect(bandEffects(70).marginFactor).toBeCloseTo(0.75, 12);
    expect(bandEffects(79.99).marginFactor).toBeCloseTo(0.50025, 12);
    expect(bandEffects(80)).toEqual({ band: 'Critical', opensAllowed: false, leverageFactor: 0, countFactor: 0, marginFactor: 0 });
  });
});

describe('regime score', () => {
  it('gives nothing below a threshold, half the weight at it and the full weight at the extreme', () => {
    const dd = SIGNALS.find((s) => s.name === 'btc_drawdown')!;
    expect(signalPoints(dd, 7.99)).toMatchObject({ fired: false, points: 0, reading: 7.99 });
    expect(signalPoints(dd, 8)).toMatchObject({ fired: true, points: 15 });
    expect(signalPoints(dd, 14)).toMatchObject({ fired: true, points: 22.5 });
    expect(signalPoints(dd, 40)).toMatchObject({ fired: true, points: 30 });
    expect(signalPoints(dd, null)).toMatchObject({ fired: false, points: 0, reading: null });
    expect(SIGNALS.reduce((s, x) => s + x.weight, 0)).toBe(100);
  });

  it('sums the contributions and keeps every reading', () => {
    const { score, signals } = regimeScore({ btc_drawdown: 20, btc_volatility: 4, breadth_falling: 0.8, downside_correlation: 0.9, btc_dislocation: 10 });
    expect(score).toBe(100);
    expect(signals.every((s) => s.fired)).toBe(true);
    const calm = regimeScore({ btc_drawdown: 1, btc_volatility: 1, breadth_falling: 0.1, downside_correlation: null, btc_dislocation: 0.5 });
    expect(calm.score).toBe(0);
    expect(calm.signals.map((s) => [s.name, s.reading, s.fired])).toEqual([
      ['btc_drawdown', 1, false], ['btc_volatility', 1, false], ['breadth_falling', 0.1, false],
      ['downside_correlation', null, false], ['btc_dislocation', 0.5, false],
    ]);
  });

  it('reads drawdown, breadth and dislocation from hourly closes', () => {
    const wobble = (i: number) => 1 + 0.002 * Math.sin(i * 1.7);
    const btc = Array.from({ length: 30 * 24 }, (_, i) => 100 * wobble(i));
    btc.push(...Array.from({ length: 24 }, (_, i) => 100 * wobble(i) * (i < 23 ? 1 : 0.88)));
    const falling = Array.from({ length: 50 }, (_, i) => (i < 40 ? 10 : 9));
    const steady = Array.from({ length: 50 }, () => 10);
    const r = readSignals({ btc, symbols: { AUSDT: falling, BUSDT: falling, CUSDT: steady } });
    expect(r.btc_drawdown).toBeGreaterThan(11);
    expect(r.btc_dislocation).toBeGreaterThan(11);
    expect(r.breadth_falling).toBeCloseTo(2 / 3, 12);
    expect(r.btc_volatility).toBeGreaterThan(4);
    expect(readSignals({ btc: [1, 2], symbols: {} })).toMatchObject({ btc_drawdown: null, btc_volatility: null, breadth_falling: null });
  });
});

describe('cooldown', () => {
  it('arms on Critical, holds after the score falls back, and expires after 24 h', () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 3, 10, 50));
    let state: CooldownState = NO_COOLDOWN;
    ({ state } = applyCooldown(state, { band: 'Fragile', score: 70, computedAt: clock.now(), stale: false }, clock.now()));
    expect(state).toEqual(NO_COOLDOWN);
    const armedAt = clock.now();
    const armed = applyCooldown(state, { band: 'Critical', score: 85, computedAt: armedAt, stale: false }, clock.now());
    expect(armed).toEqual({ transition: 'armed', state: { armedAt, until: armedAt + 24 * HOUR, armedScore: 85 } });
    state = armed.state;
    clock.advance(HOUR);
    expect(applyCooldown(state, { band: 'Calm', score: 10, computedAt: clock.now(), stale: false }, clock.now()).transition).toBe('unchanged');
    expect(cooldownActive(state, clock.now())).toBe(true);
    clock.set(armedAt + 24 * HOUR - 1);
    expect(cooldownActive(state, clock.now())).toBe(true);
    clock.advance(1);
    expect(cooldownActive(state, clock.now())).toBe(false);
    expect(applyCooldown(state, null, clock.now())).toEqual({ transition: 'expired', state: NO_COOLDOWN });
  });

  it('re-arms from a later Critical, ignores a repeat of the same snapshot and never arms on stale data', () => {
    const t0 = Date.UTC(2026, 2, 3);
    const first = applyCooldown(NO_COOLDOWN, { band: 'Critical', score: 81, computedAt: t0, stale: false }, t0).state;
    expect(applyCooldown(first, { band: 'Critical', score: 81, computedAt: t0, stale: false }, t0 + 5 * 60_000).transition).toBe('unchanged');
    const again = applyCooldown(first, { band: 'Critical', score: 90, computedAt: t0 + 3 * HOUR, stale: false }, t0 + 3 * HOUR);
    expect(again).toMatchObject({ transition: 'rearmed', state: { until: t0 + 27 * HOUR, armedScore: 90 } });
    expect(applyCooldown(NO_COOLDOWN, { band: 'Critical', score: 95, computedAt: t0, stale: true }, t0).transition).toBe('unchanged');
    expect(applyCooldown(NO_COOLDOWN, { band: 'Critical', score: 95, computedAt: t0, stale: false }, t0, 2 * HOUR).state.until).toBe(t0 + 2 * HOUR);
  });
});

describe('openAllowance, the decision boundary', () => {
  const clock = new ManualClock(Date.UTC(2026, 2, 3, 11));
  const base = (patch: Partial<AllowanceInput> = {}): AllowanceInput => ({
    now: clock.now(), slots: { LONG: 4, SHORT: 2 }, snapshot: { score: 10, computedAt: clock.now() - 10 * 60_000 },
    cooldown: null, override: null, shock: null, ...patch,
  });
  const snap = (score: number) => ({ score, computedAt: clock.now() - 60_000 });
  const override = (mode: 'allow' | 'block', until = clock.now() + HOUR): RegimeOverride =>
    ({ mode, reason: 'operator call', createdBy: 'ops', createdAt: clock.now() - 60_000, until });
  const cooling: CooldownState = { armedAt: clock.now() - HOUR, until: clock.now() + 23 * HOUR, armedScore: 88 };

  it('sizes each band from the score', () => {
    expect(openAllowance(base({ snapshot: snap(39.99) }))).toMatchObject({
      allowed: true, band: 'Calm', score: '39.99', maxPerDirection: { LONG: 4, SHORT: 2 }, leverageFactor: 1, marginFactor: 1,
    });
    expect(openAllowance(base({ snapshot: snap(40) }))).toMatchObject({
      allowed: true, band: 'Elevated', score: '40.00', maxPerDirection: { LONG: 3, SHORT: 1 }, leverageFactor: 0.66, marginFactor: 1,
    });
    const fragile = openAllowance(base({ snapshot: snap(70) }));
    expect(fragile).toMatchObject({ allowed: true, band: 'Fragile', maxPerDirection: { LONG: 2, SHORT: 1 }, leverageFactor: 0.5 });
    expect(fragile.marginFactor).toBeCloseTo(0.75, 12);
    expect(openAllowance(base({ snapshot: snap(80) }))).toMatchObject({
      allowed: false, band: 'Critical', maxPerDirection: { LONG: 0, SHORT: 0 }, reason: 'Critical regime (score 80.00)',
    });
    expect(openAllowance(base({ slots: { LONG: 0, SHORT: 1 }, snapshot: snap(60) })).maxPerDirection).toEqual({ LONG: 0, SHORT: 1 });
  });

  it('blocks every account during the cooldown, even when the score is calm again', () => {
    const a = openAllowance(base({ snapshot: snap(5), cooldown: cooling }));
    expect(a).toMatchObject({ allowed: false, band: 'Calm' });
    expect(a.reason).toContain('Critical cooldown until');
    expect(openAllowance(base({ snapshot: snap(5), cooldown: { ...cooling, until: clock.now() } })).allowed).toBe(true);
  });

  it('lets an allow override beat the cooldown, and a block override beat a calm score', () => {
    const a = openAllowance(base({ snapshot: snap(5), cooldown: cooling, override: override('allow') }));
    expect(a).toMatchObject({ allowed: true, band: 'Calm', leverageFactor: 1, maxPerDirection: { LONG: 4, SHORT: 2 } });
    expect(a.reason).toContain('allowed by operator override by ops');
    const b = openAllowance(base({ snapshot: snap(5), override: override('block') }));
    expect(b).toMatchObject({ allowed: false });
    expect(b.reason).toContain('operator call');
  });

  it('sizes an allow override in Critical at Fragile\'s most cautious', () => {
    const a = openAllowance(base({ snapshot: snap(92), cooldown: cooling, override: override('allow') }));
    expect(a).toMatchObject({ allowed: true, band: 'Critical', leverageFactor: 0.5, maxPerDirection: { LONG: 2, SHORT: 1 } });
    expect(a.marginFactor).toBeCloseTo(0.50025, 12);
  });

  it('stops obeying an override once it expires', () => {
    const ov = override('allow', clock.now() + 1);
    expect(openAllowance(base({ cooldown: cooling, override: ov })).allowed).toBe(true);
    const later = new ManualClock(clock.now() + 1);
    expect(openAllowance(base({ now: later.now(), cooldown: cooling, override: ov })).allowed).toBe(false);
  });

  it('fails open on stale or missing regime data', () => {
    const stale = { score: 95, computedAt: clock.now() - 115 * 60_000 - 1 };
    expect(openAllowance(base({ snapshot: stale }))).toMatchObject({
      allowed: true, band: 'stale', score: '95.00', leverageFactor: 1, marginFactor: 1, maxPerDirection: { LONG: 4, SHORT: 2 },
      reason: 'regime data stale: failing open',
    });
    expect(openAllowance(base({ snapshot: { ...stale, computedAt: stale.computedAt + 1 } }))).toMatchObject({ allowed: false, band: 'Critical' });
    expect(openAllowance(base({ snapshot: null }))).toMatchObject({ allowed: true, band: null, score: null, reason: 'no regime data: failing open' });
    expect(openAllowance(base({ snapshot: stale }), { freshnessMs: 3 * HOUR }).allowed).toBe(false);
  });

  it('blocks during a shock hold, and not after it', () => {
    const shock = { at: clock.now() - 10 * 60_000, dropPercent: 3.2, symbols: 5 };
    expect(openAllowance(base({ shock }))).toMatchObject({ allowed: false });
    expect(openAllowance(base({ shock }), { shockHoldMs: 10 * 60_000 }).allowed).toBe(true);
  });
});

describe('overrides', () => {
  const now = Date.UTC(2026, 2, 3, 12);
  it('validates the request and names the bad field', () => {
    expect(newOverride({ mode: 'allow', reason: 'false alarm', createdBy: 'ops', until: now + HOUR }, now)).toEqual({
      mode: 'allow', reason: 'false alarm', createdBy: 'ops', until: now + HOUR, createdAt: now,
    });
    expect(() => newOverride({ mode: 'allow', reason: 'x', createdBy: 'ops', until: now + HOUR }, now)).toThrow(/reason/);
    expect(() => newOverride({ mode: 'allow', reason: 'ok then', createdBy: 'ops', until: now }, now)).toThrow(/must be in the future/);
    expect(() => newOverride({ mode: 'allow', reason: 'ok then', createdBy: 'ops', until: now + 8 * 24 * HOUR }, now)).toThrow(/7 days/);
  });

  it('the newest active override wins; an expired newest leaves none', () => {
    const a: RegimeOverride = { mode: 'block', reason: 'r', createdBy: 'a', createdAt: now - 2 * HOUR, until: now + 5 * HOUR };
    const b: RegimeOverride = { mode: 'allow', reason: 'r', createdBy: 'b', createdAt: now - HOUR, until: now + HOUR };
    expect(currentOverride([a, b], now)).toBe(b);
    expect(currentOverride([a, b], now + HOUR)).toBeNull();
    expect(currentOverride([a], now)).toBe(a);
  });
});

describe('shock detector', () => {
  it('fires on a basket falling hard within a minute, never on a rally', () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 3, 12));
    const d = new ShockDetector();
    const basket = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
    for (const s of basket) d.observe(s, 100, clock.now());
    clock.advance(30_000);
    for (const s of basket) expect(d.observe(s, 96, clock.now())).toBeNull(); // not a minute of data yet
    clock.advance(30_000);
    // A minute on: BTC is down 3 %, the others' latest prices (96) are inside the window: median 4 %.
    const shock = d.observe('BTCUSDT', 97, clock.now());
    expect(shock).toMatchObject({ at: clock.now(), symbols: 3 });
    expect(shock!.dropPercent).toBeCloseTo(4, 9);
    clock.advance(1_000);
    d.observe('ETHUSDT', 99, clock.now());
    expect(d.observe('SOLUSDT', 99, clock.now())).toBeNull(); // recovered: median 1 %
    const up = new ShockDetector();
    for (const s of basket) up.observe(s, 100, 0);
    for (const s of basket) expect(up.observe(s, 110, 60_000)).toBeNull();
  });

  it('needs enough symbols with a price a minute ago', () => {
    const d = new ShockDetector({ minSymbols: 2 });
    d.observe('BTCUSDT', 100, 0);
    expect(d.observe('BTCUSDT', 90, 60_000)).toBeNull();
  });
});
