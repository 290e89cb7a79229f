// Builds and renders a step tree (blocks in index order, children under their parent).
import type { Step } from './step.ts';

/** A step with its child block's steps. */
export interface StepNode {
  step: Step;
  children: StepNode[];
}

/** Nests a tree's steps under their parents; roots are the steps without a parent. */
export function buildTree(steps: readonly Step[]): StepNode[] {
  const nodes = new Map<number, StepNode>(steps.map((s) => [s.id, { step: s, children: [] }]));
  const roots: StepNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.step.parentId === null ? undefined : nodes.get(node.step.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const order = (a: StepNode, b: StepNode) => a.step.index - b.step.index || a.step.id - b.step.id;
  const sort = (list: StepNode[]) => {
    list.sort(order);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** One line per step, indented by depth: `#id [index] handler state (attempts, ms) error`. */
export function renderTree(roots: readonly StepNode[], depth = 0): string[] {
  const lines: string[] = [];
  for (const { step: s, children } of roots) {
    const timing = s.durationMs === null ? '' : ` ${s.durationMs}ms`;
    const error = s.errorMessage ? ` — ${s.errorMessage}` : '';
    lines.push(`${'  '.repeat(depth)}#${s.id} [${s.index}] ${s.handler} ${s.state} (attempt ${s.attempts}/${s.maxAttempts}${timing})${s.label ? ` ${s.label}` : ''}${error}`);
    lines.push(...renderTree(children, depth + 1));
  }
  return lines;
}
