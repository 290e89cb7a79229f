import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { processLogger } from './process-logger.ts';

describe('processLogger', () => {
  const lines = (env: Record<string, string>, isTTY: boolean) => {
    const out: string[] = [];
    processLogger(loadConfig(env), { worker: 'eos@test' }, (l) => out.push(l), { isTTY }).info('hello', { qty: 10n, password: 'hunter2' });
    return out;
  };

  it('writes JSON to a pipe and pretty lines to a terminal; LOG_FORMAT forces either', () => {
    const pipe = lines({}, false);
    expect(JSON.parse(pipe[0]!)).toMatchObject({ level: 'info', msg: 'hello', worker: 'eos@test', qty: '10', password: '[redacted]' });
    const tty = lines({}, true);
    expect(() => JSON.parse(tty[0]!)).toThrow();
    expect(tty[0]).toContain('hello');
    expect(() => JSON.parse(lines({ LOG_FORMAT: 'json' }, true)[0]!)).not.toThrow();
    expect(lines({ LOG_FORMAT: 'pretty' }, false)[0]).not.toMatch(/^\{/);
    for (const line of [...pipe, ...tty]) expect(line).not.toContain('hunter2');
  });

  it('refuses an unknown LOG_FORMAT by name', () => {
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });
});
