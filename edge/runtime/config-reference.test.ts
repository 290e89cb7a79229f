import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from './config.ts';
import { configReferenceMarkdown, variableComments } from './config-reference.ts';

describe('the configuration reference page', () => {
  it('is what the config schema says (run npm run docs:build when this fails)', () => {
    expect(readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')).toBe(configReferenceMarkdown());
  });

  it('describes every variable, with its default', () => {
    const page = configReferenceMarkdown();
    const comments = variableComments(readFileSync(new URL('./config.ts', import.meta.url), 'utf8'));
    for (const name of Object.keys(configSchema.shape)) {
      expect(page).toContain(`- \`${name}\` (`);
      expect(comments.get(name), name).toBeTruthy();
    }
    expect(page).toContain('- `KRAITE_PORT` (default `8080`): The status page');
    expect(page).toContain('- `DATABASE_URL` (unset by default): The shared MySQL');
  });
});
