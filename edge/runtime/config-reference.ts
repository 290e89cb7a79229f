// The docs' configuration reference (docs/configuration.md), written by `npm run docs:build` from
// the zod schema (every variable, its default) and the comments beside each variable in config.ts,
// so it cannot drift from what loadConfig accepts (a test compares).
import { readFileSync } from 'node:fs';
import { configSchema } from './config.ts';

const CONFIG_SOURCE = new URL('./config.ts', import.meta.url);

/** The comment above each variable of the schema; a variable under a shared comment gets that one. */
export function variableComments(source: string): Map<string, string> {
  const start = source.indexOf('z.object({');
  const body = source.slice(start, source.indexOf('}).superRefine', start));
  const comments = new Map<string, string>();
  let comment: string[] = [];
  let afterKey = false;
  for (const line of body.split('\n')) {
    const text = /^ {2}\/\/ ?(.*)$/.exec(line)?.[1];
    const key = /^ {2}([A-Z][A-Z0-9_]*):/.exec(line)?.[1];
    if (text !== undefined) {
      if (afterKey) comment = [];
      comment.push(text);
      afterKey = false;
    } else if (key) {
      comments.set(key, comment.join(' '));
      afterKey = true;
    }
  }
  return comments;
}

/** What a variable is when unset: its default, "optional" or "required". */
function whenUnset(field: { safeParse(v: unknown): { success: boolean; data?: unknown } }): string {
  const r = field.safeParse(undefined);
  if (!r.success) return 'required';
  if (r.data === undefined) return 'unset by default';
  if (Array.isArray(r.data) && r.data.length === 0) return 'unset by default';
  return `default \`${String(r.data)}\``;
}

/** The reference page's Markdown. */
export function configReferenceMarkdown(source = readFileSync(CONFIG_SOURCE, 'utf8')): string {
  const comments = variableComments(source);
  const out = [
    '# Configuration reference',
    '',
    '<!-- Generated from the zod schema in edge/runtime/config.ts by `npm run docs:build`: do not edit. -->',
    '',
    'Every process reads its configuration from the environment; a bad value stops it at start with',
    'an error naming the variable. An empty variable counts as unset.',
    '',
  ];
  for (const [name, field] of Object.entries(configSchema.shape)) {
    const about = comments.get(name);
    out.push(`- \`${name}\` (${whenUnset(field as never)})${about ? `: ${about}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}
