// A step tree as nested blocks: each block's steps grouped by index (equal indexes are parallel
// siblings), each step with its child block. Rendered as nested lists with timings and errors.
import { html } from 'hono/html';
import type { Step } from '../../core/steps/step.ts';
import { badge, duration, utc } from './format.ts';
import type { Markup } from './layout.ts';

/** One block: its uuid and its steps in index order, parallel siblings sharing a slot. */
export interface TreeBlock {
  blockUuid: string;
  slots: { index: number; steps: TreeStep[] }[];
}

/** A step with the block it spawned, if any. */
export interface TreeStep {
  step: Step;
  children: TreeBlock | null;
}

/** Builds the tree of `steps` (every step of one tree) from its root block. */
export function buildTree(steps: Step[]): TreeBlock[] {
  const byBlock = new Map<string, Step[]>();
  for (const s of steps) byBlock.set(s.blockUuid, [...(byBlock.get(s.blockUuid) ?? []), s]);
  const childBlocks = new Set(steps.map((s) => s.childBlockUuid).filter((b): b is string => b !== null));
  const seen = new Set<string>();
  const block = (uuid: string): TreeBlock => {
    seen.add(uuid);
    const members = [...(byBlock.get(uuid) ?? [])].sort((a, b) => a.index - b.index || a.id - b.id);
    const slots: TreeBlock['slots'] = [];
    for (const s of members) {
      const node = { step: s, children: s.childBlockUuid && byBlock.has(s.childBlockUuid) && !seen.has(s.childBlockUuid) ? block(s.childBlockUuid) : null };
      const last = slots.at(-1);
      if (last && last.index === s.index) last.steps.push(node);
      else slots.push({ index: s.index, steps: [node] });
    }
    return { blockUuid: uuid, slots };
  };
  // Root blocks: those no step names as its child block (normally exactly one).
  return [...byBlock.keys()].filter((b) => !childBlocks.has(b)).map(block);
}

function stepNode(node: TreeStep, focus: number): Markup {
  const s = node.step;
  return html`<li id="step-${s.id}"${s.id === focus ? html` class="focus"` : ''}>
<a href="/steps/${s.set}/${s.id}">#${s.id}</a> <code>${s.handler}</code> ${badge(s.state)}${s.label ? html` <em>${s.label}</em>` : ''}${s.isResolver ? html` <span class="muted">(resolver)</span>` : ''}
<span class="muted">attempt ${s.attempts}/${s.maxAttempts} · lane ${s.lane} · created ${utc(s.createdAt)} · started ${utc(s.startedAt)} · took ${duration(s.durationMs)}</span>
${s.errorMessage ? html`<details><summary class="error-line">${s.errorMessage}</summary>${s.errorStack ? html`<pre>${s.errorStack}</pre>` : ''}</details>` : ''}
${node.children ? blockList(node.children, focus) : ''}</li>`;
}

/** A block as a nested list; parallel siblings are marked and grouped. */
export function blockList(block: TreeBlock, focus: number): Markup {
  return html`<ul class="tree" data-block="${block.blockUuid}">${block.slots.map((slot) => (slot.steps.length > 1
    ? html`<li class="parallel"><span class="block-index">index ${slot.index}: ${slot.steps.length} in parallel</span><ul class="tree">${slot.steps.map((n) => stepNode(n, focus))}</ul></li>`
    : stepNode(slot.steps[0]!, focus)))}</ul>`;
}
