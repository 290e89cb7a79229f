// The settings form: numeric inputs with limits, steps and units, labels in words, each error
// beside its field, and a preview of the ladder and worst-case loss those values would trade
// (server-rendered: the Preview button works without JavaScript; SETTINGS_JS refreshes it as you type).
import { html } from 'hono/html';
import { dec, toDecimalString } from '../../core/exchange/precision.ts';
import type { ExchangeSymbolRow } from '../../core/trading/exchange-symbol.ts';
import { symbolFilters } from '../../core/trading/exchange-symbol.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import { computeLadder } from '../../handlers/trading/ladder.ts';
import type { Markup } from '../admin/layout.ts';
import { money, tickPlaces } from './money.ts';
import { SETTING_INPUTS, settingsErrors } from './settings-form.ts';

/** The ladder each direction's values would place on `symbol` at its mark price, or why not. */
export function ladderPreview(values: Record<string, string>, symbol: ExchangeSymbolRow | null): Markup {
  if (!symbol?.markPrice) return html`<div id="preview" class="preview"><p class="muted">No priced symbol yet: the preview needs a mark price.</p></div>`;
  const errors = settingsErrors(values);
  const places = tickPlaces(symbol.tickSize);
  const one = (direction: Direction) => {
    const d = direction.toLowerCase();
    const bad = Object.keys(errors).filter((k) => k.startsWith(`${d}_`));
    if (bad.length) return html`<p class="muted">${direction}: fix ${bad.map((k) => k.slice(d.length + 1).replace('_', ' ')).join(', ')} first.</p>`;
    try {
      const ladder = computeLadder({
        direction, ref: symbol.markPrice!, margin: values[`${d}_margin`]!, leverage: Number(values[`${d}_leverage`]), gapPct: values[`${d}_gap_pct`]!,
        rungMultiplier: values[`${d}_rung_multiplier`]!, rungs: Number(values[`${d}_rungs`]), stopPct: values[`${d}_stop_pct`]!, profitPct: values[`${d}_profit_pct`]!,
        filters: symbolFilters(symbol),
      });
      const total = ladder.rungs.reduce((s, r) => s.plus(r.quantity), dec(ladder.entryQty));
      return html`<h3>${direction} on ${symbol.symbol} at ${dec(symbol.markPrice!).toFixed(places)}</h3>
<table><thead><tr><th>order</th><th>price</th><th>quantity</th></tr></thead><tbody><tr><td>entry</td><td class="num">${dec(symbol.markPrice!).toFixed(places)}</td><td class="num">${ladder.entryQty}</td></tr>
${ladder.rungs.map((r) => html`<tr><td>rung ${r.rung}</td><td class="num">${r.price}</td><td class="num">${r.quantity}</td></tr>`)}
<tr><td>take-profit</td><td class="num">${ladder.takeProfitPrice}</td><td></td></tr><tr><td>stop-loss</td><td class="num">${ladder.stopPrice}</td><td class="num">${toDecimalString(total)}</td></tr></tbody>
<tfoot><tr class="totals"><td colspan="2">worst-case loss</td><td>${money(toDecimalString(dec(ladder.worstCaseLoss).negated()))}</td></tr></tfoot></table>`;
    } catch (error) {
      return html`<p class="error">${direction}: ${(error as Error).message}</p>`;
    }
  };
  return html`<div id="preview" class="preview" aria-live="polite"><h2>Preview</h2>${one('LONG')}${one('SHORT')}</div>`;
}

/** The form body; `errors` by field name. */
export function settingsBody(accountId: number, name: string, csrf: string, values: Record<string, string>, errors: Record<string, string>, preview: Markup): Markup {
  const field = (d: 'long' | 'short', k: string) => {
    const f = `${d}_${k}`;
    const spec = SETTING_INPUTS[k]!;
    return html`<label>${spec.words} <input type="number" name="${f}" id="${f}" value="${values[f] ?? ''}" min="${spec.min}" max="${spec.max}" step="${spec.step}" required inputmode="decimal"${errors[f] ? html` aria-invalid="true" aria-describedby="${f}-error"` : ''}> ${spec.unit}
${errors[f] ? html`<span class="field-error" id="${f}-error" role="alert">${errors[f]}</span>` : ''}</label>`;
  };
  return html`<h1>${name}: settings</h1>
<p>These apply to positions opened from now on; open positions keep the settings they were opened with.</p>
${Object.keys(errors).length ? html`<p class="error" role="alert">Nothing was saved: ${Object.keys(errors).length} field${Object.keys(errors).length > 1 ? 's need' : ' needs'} fixing (beside each).</p>` : ''}
<form class="settings" method="post" action="/accounts/${accountId}/settings" data-preview-url="/accounts/${accountId}/settings/preview"><input type="hidden" name="_csrf" value="${csrf}">
<div class="grid">${(['long', 'short'] as const).map((d) => html`<fieldset class="panel"><legend>${d.toUpperCase()} positions</legend>${Object.keys(SETTING_INPUTS).map((k) => field(d, k))}</fieldset>`)}</div>
<p><button type="submit" name="intent" value="preview" formnovalidate>Preview</button> <button type="submit" name="intent" value="save">Save settings</button></p></form>
${preview}`;
}
