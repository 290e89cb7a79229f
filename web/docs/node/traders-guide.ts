// The trader's guide (docs/trading.md), written by `npm run docs:build` from the code it explains:
// the console's settings form (names, limits, units), a new account's defaults, the regime bands'
// effects, and a worked ladder computed by the ladder the open block places — so the figures on
// the page are the fleet's own and a test fails when they drift.
import { dec, toDecimalString } from '../../../core/exchange/precision.ts';
import type { SymbolFilters } from '../../../core/exchange/exchange.port.ts';
import { bandEffects } from '../../../core/market/regime/bands.ts';
import { DEFAULT_SYMBOLS } from '../../../core/sim/symbols.ts';
import { DEFAULT_DIRECTION_SETTINGS, type DirectionSettings } from '../../../core/trading/account.ts';
import { computeLadder, takeProfitFrom } from '../../../handlers/trading/ladder.ts';
import { SETTING_INPUTS } from '../../console/settings-form.ts';

/** What each setting does, in words; keyed like the form's fields (a missing one stops the build). */
const MEANING: Record<string, string> = {
  slots: 'How many positions this direction may hold at once. 0 switches the direction off. The market regime can lower it for new opens (below); it never closes an open position.',
  leverage: 'The leverage set on the symbol before the entry. Higher leverage buys more with the same margin, so every order of the ladder is larger and the worst-case loss grows with it. The exchange may cap it per symbol; the regime lowers it in rough markets.',
  margin: 'The margin the market entry uses: the entry buys margin × leverage worth of the symbol at the mark price, rounded down to the symbol\'s step. The rungs add their own margin when they fill, so the margin a full ladder ties up is far more than this figure (see the worked ladder).',
  profit_pct: 'Where the take-profit sits: this far in your favour from the break-even price (the average price of everything filled so far, as the exchange reports it). Each filled rung moves the break-even, and the take-profit is re-priced from it at once.',
  stop_pct: 'Where the stop-loss sits: this far beyond the last rung (below it for a LONG, above it for a SHORT), on the mark price. It closes the whole position. It is placed the moment the entry fills and never moves.',
  gap_pct: 'The distance between rungs, measured from the entry price: rung i rests i × gap % away from it (below for a LONG, above for a SHORT).',
  rung_multiplier: 'How much each rung buys compared with the one before: rung i buys the entry\'s quantity × multiplier^i. 1 keeps every rung the size of the entry; 2 doubles each time, which pulls the break-even towards the price faster and makes the full ladder much larger.',
  rungs: 'How many DCA limit orders rest beyond the entry. 0 trades the entry alone, with the stop that far beyond the entry.',
};

/** The worked example: the paper exchange's ETHUSDT at its starting price, with a new account's settings. */
const EXAMPLE_SYMBOL = DEFAULT_SYMBOLS.find((s) => s.symbol === 'ETHUSDT')!;

function exampleFilters(): SymbolFilters {
  const s = EXAMPLE_SYMBOL;
  return {
    tickSize: s.tickSize, minPrice: s.minPrice, maxPrice: s.maxPrice, stepSize: s.stepSize, minQty: s.minQty, maxQty: s.maxQty,
    marketStepSize: s.marketStepSize, marketMinQty: s.marketMinQty, marketMaxQty: s.marketMaxQty, minNotional: s.minNotional,
    percentPrice: { multiplierUp: s.multiplierUp, multiplierDown: s.multiplierDown },
  };
}

const usdt = (v: ReturnType<typeof dec>) => `${v.toFixed(2)} USDT`;

function settingsSection(d: DirectionSettings): string[] {
  const rows = Object.entries(SETTING_INPUTS).map(([key, spec]) => {
    const meaning = MEANING[key];
    if (!meaning) throw new Error(`docs/trading.md: no words for the setting ${key}: add them to web/docs/node/traders-guide.ts`);
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof DirectionSettings;
    return `| ${spec.words} (\`${key}\`) | ${spec.min} – ${spec.max} ${spec.unit} | ${String(d[camel])} | ${meaning} |`;
  });
  return ['| setting (form field) | range | new account | what it does |', '|---|---|---|---|', ...rows];
}

function regimeSection(): string[] {
  const scores = [0, 40, 60, 70, 80];
  const rows = scores.map((score) => {
    const e = bandEffects(score);
    const pct = (f: number) => `${Math.round(f * 100)} %`;
    return `| ${score} | ${e.band} | ${e.opensAllowed ? 'yes' : 'no'} | ${pct(e.countFactor)} | ${pct(e.leverageFactor)} | ${pct(e.marginFactor)} |`;
  });
  return ['| score | band | new opens | slots | leverage | margin |', '|---|---|---|---|---|---|', ...rows];
}

function workedLadder(d: DirectionSettings): string[] {
  const filters = exampleFilters();
  const ref = EXAMPLE_SYMBOL.price;
  const ladder = computeLadder({
    direction: 'LONG', ref, margin: d.margin, leverage: d.leverage, gapPct: d.gapPct, rungMultiplier: d.rungMultiplier,
    rungs: d.rungs, stopPct: d.stopPct, profitPct: d.profitPct, filters,
  });
  const places = dec(filters.tickSize).decimalPlaces();
  const px = (v: string) => dec(v).toFixed(places);
  const orders = [{ what: 'entry (market)', price: ref, quantity: ladder.entryQty }, ...ladder.rungs.map((r) => ({ what: `rung ${r.rung} (limit)`, price: r.price, quantity: r.quantity }))];
  let held = dec(0);
  let cost = dec(0);
  const rows = orders.map((o) => {
    held = held.plus(o.quantity);
    cost = cost.plus(dec(o.price).times(o.quantity));
    const breakEven = toDecimalString(cost.div(held).toDecimalPlaces(places));
    const takeProfit = takeProfitFrom('LONG', breakEven, d.profitPct, filters);
    return `| ${o.what} | ${px(o.price)} | ${o.quantity} | ${usdt(dec(o.price).times(o.quantity))} | ${toDecimalString(held)} | ${px(breakEven)} | ${px(takeProfit)} |`;
  });
  const notional = cost;
  const stopLoss = dec(ladder.worstCaseLoss);
  return [
    `A new account's LONG settings (margin ${d.margin} USDT, leverage ${d.leverage}×, ${d.rungs} rungs ${d.gapPct} % apart, each ×${d.rungMultiplier}, take-profit ${d.profitPct} %, stop ${d.stopPct} % past the last rung) on the paper exchange's ${EXAMPLE_SYMBOL.symbol} at its starting price ${ref} (tick ${filters.tickSize}, step ${filters.stepSize}), computed by the ladder code the open block runs:`,
    '',
    '| order | price | quantity | notional | held after it fills | break-even then | take-profit then |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `- **Take-profit** right after the entry: ${px(ladder.takeProfitPrice)}. After each fill it moves with the break-even (last column; fees left out here — the fleet uses the exchange's own break-even, fees included).`,
    `- **Stop-loss**: ${px(ladder.stopPrice)}, ${d.stopPct} % below the last rung (${px(ladder.rungs.at(-1)?.price ?? ref)}), for the whole position.`,
    `- **Worst-case loss**: ${usdt(stopLoss)} — every rung fills and then the stop triggers at its price: the sum over every order of quantity × (its price − the stop). Fees and slippage past the stop come on top.`,
    `- **Margin a full ladder ties up**: ${usdt(notional.div(d.leverage))} (the ${usdt(notional)} notional of every order ÷ ${d.leverage}× leverage), against the ${d.margin} USDT the entry alone uses. Keep the account's balance above that for every slot you allow, or later rungs are refused for margin.`,
    `- The worst-case loss is ${stopLoss.div(d.margin).toFixed(1)}× the margin setting: judge the settings by this figure, not by the margin.`,
  ];
}

/** The trader's guide as Markdown. */
export function tradersGuideMarkdown(): string {
  const d = DEFAULT_DIRECTION_SETTINGS;
  return [
    '# Trader\'s guide',
    '',
    '<!-- Generated by `npm run docs:build` from the settings form, the account defaults, the regime bands and the ladder code (web/docs/node/traders-guide.ts): do not edit. -->',
    '',
    'Each position Kraite opens is one **ladder**: a market entry, a few DCA limit orders (rungs) further',
    'away that buy more if the price goes against you, one take-profit and one stop-loss. Your account\'s',
    'settings decide its shape, separately for LONG and for SHORT positions. Change them in the console',
    '(Settings: the preview shows the ladder and its worst-case loss before you save) or have an operator',
    'change them. New settings apply to positions opened from then on; open positions keep theirs. The',
    '[glossary](glossary.md) explains the words.',
    '',
    '## The settings',
    '',
    ...settingsSection(d),
    '',
    'Who chooses the symbols, when a position opens and in which direction is the fleet\'s job (token',
    'selection and the market regime), not a setting: an operator approves the symbols an account may trade.',
    '',
    '### Set by an operator',
    '',
    'An account also has settings only an operator changes (in the admin or with the CLI):',
    '',
    '- **Trading switch** (`kraite accounts:trading ID --on` / `--off`; the console has it too): off stops new',
    '  positions only. Open positions are still managed to their close. A new account starts with it off.',
    '- **Minimum balance**: no new position opens while the available balance is below it (0 by default).',
    '- **Margin type**: isolated (the default: a position can lose only its own margin) or cross; set on',
    '  each symbol before the entry.',
    '- **Position mode**: one-way (the default) or hedge, as the exchange account is set.',
    '- **Quote asset**: USDT.',
    '',
    '## How the market regime changes them',
    '',
    'The fleet scores the market from 0 (calm) to 100 every hour. The band of the score scales what new',
    'positions may use; open positions are never touched. Reaching Critical also holds new opens for a',
    'cooldown (24 h by default), a one-minute shock holds them for a while, and an operator can override it.',
    '',
    ...regimeSection(),
    '',
    'In the Fragile band the margin falls linearly from 100 % at 60 to 50 % at the top of the band.',
    'Slots and leverage are rounded down, never below 1 while the band allows opens (a direction with 0 slots stays off).',
    '',
    '## A worked ladder',
    '',
    ...workedLadder(d),
    '',
    'The console shows the same for every position: its orders on the chart, the ladder with the average',
    'entry after each rung, and the worst-case loss frozen when the position became active.',
    '',
    '![The console\'s position page: the chart with the ladder\'s orders as lines and the fills as markers, the ladder with its worst-case loss, the fills and the orders](screenshots/console-position.png)',
    '',
    '## Choosing settings',
    '',
    '- Start from the worst-case loss you accept per position, then size margin and leverage to it; the',
    '  console\'s settings preview computes it for you on a real symbol before you save.',
    '- More rungs, a larger multiplier or more leverage all grow the worst-case loss; a wider gap or stop',
    '  lets the ladder survive a deeper move but loses more when it is stopped.',
    '- A smaller profit % closes sooner and more often; it must still clear the fees of every fill.',
    '- Slots multiply everything: the account can hold slots × (margin a full ladder ties up) at once.',
    '- A ladder that does not fit a symbol\'s minimum order size or notional is refused before anything',
    '  is placed, so nothing is traded; see [troubleshooting](troubleshooting.md).',
    '',
  ].join('\n');
}
