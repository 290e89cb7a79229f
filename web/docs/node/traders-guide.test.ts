import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SYMBOLS } from '../../../core/sim/symbols.ts';
import { DEFAULT_DIRECTION_SETTINGS } from '../../../core/trading/account.ts';
import { computeLadder } from '../../../handlers/trading/ladder.ts';
import { SETTING_INPUTS } from '../../console/settings-form.ts';
import { tradersGuideMarkdown } from './traders-guide.ts';

describe('the trader\'s guide', () => {
  const page = tradersGuideMarkdown();

  it('is what the settings, the regime bands and the ladder code say (run npm run docs:build when this fails)', () => {
    expect(readFileSync(new URL('../../../docs/trading.md', import.meta.url), 'utf8')).toBe(page);
  });

  it('puts every setting of the console\'s form in words, with its limits and a new account\'s value', () => {
    for (const [key, spec] of Object.entries(SETTING_INPUTS)) expect(page).toMatch(new RegExp(`\\| ${spec.words} \\(\`${key}\`\\) \\| ${spec.min} – ${spec.max} [^|]+\\| [\\d.]+ \\| \\S`));
  });

  it('works a ladder through with the worst-case loss the open block would freeze', () => {
    const d = DEFAULT_DIRECTION_SETTINGS;
    const eth = DEFAULT_SYMBOLS.find((s) => s.symbol === 'ETHUSDT')!;
    const ladder = computeLadder({
      direction: 'LONG', ref: eth.price, margin: d.margin, leverage: d.leverage, gapPct: d.gapPct, rungMultiplier: d.rungMultiplier, rungs: d.rungs,
      stopPct: d.stopPct, profitPct: d.profitPct,
      filters: { tickSize: eth.tickSize, minPrice: eth.minPrice, maxPrice: eth.maxPrice, stepSize: eth.stepSize, minQty: eth.minQty, maxQty: eth.maxQty, marketStepSize: eth.marketStepSize, marketMinQty: eth.marketMinQty, minNotional: eth.minNotional },
    });
    expect(page).toContain(`**Worst-case loss**: ${Number(ladder.worstCaseLoss).toFixed(2)} USDT`);
    expect(page.match(/^\| rung \d \(limit\) \|/gm)).toHaveLength(d.rungs);
    for (const r of ladder.rungs) expect(page).toContain(`| rung ${r.rung} (limit) | ${Number(r.price).toFixed(2)} | ${r.quantity} |`);
  });
});
