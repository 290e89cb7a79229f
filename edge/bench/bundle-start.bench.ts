// `kraite bench bundle-start`: what the production bundle saves at every process start — wall
// time and peak memory of `kraite help` from the esbuild bundle (npm run build) against the same
// command from the TypeScript sources through tsx, medians of several runs in the same session.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../cli/command.ts';
import type { Benchmark } from './index.ts';
import { median } from './stats.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One start: the child prints its peak RSS (KB) on exit; wall time is measured from here. */
function startOnce(script: string): Promise<{ ms: number; rssMb: number }> {
  const began = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => child.on('close', (code) => {
    const ms = Number(process.hrtime.bigint() - began) / 1e6;
    const rss = /maxrss=(\d+)/.exec(err)?.[1];
    if (code !== 0 || !rss) reject(new Error(`kraite help exited ${code}: ${err.slice(0, 500)}`));
    else resolve({ ms, rssMb: Number(rss) / 1024 });
  }));
}

const report = "process.on('exit', () => process.stderr.write(`maxrss=${process.resourceUsage().maxRSS}\\n`));";

/** The benchmark. */
export const bundleStartBenchmark: Benchmark = {
  name: 'bundle-start',
  summary: 'kraite help: wall time and peak RSS from the esbuild bundle vs the sources through tsx (medians)',
  async run(io, args) {
    const at = args.indexOf('--runs');
    const runs = at >= 0 ? Number(args[at + 1]) : 5;
    if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be a whole number ≥ 1, got "${String(args[at + 1])}"`);
    const { buildAll } = await import('../build/build.ts');
    // Built fresh inside the checkout (packages resolve from node_modules), removed afterwards.
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    const out = mkdtempSync(join(ROOT, 'test-artifacts', 'bench-bundle-'));
    try {
      const [bundle] = await buildAll(out);
      const scripts = {
        bundle: `${report} const { main } = await import(${JSON.stringify(pathToFileURL(bundle!).href)}); await main(['help']);`,
        tsx: `${report} const { register } = await import('tsx/esm/api'); register(); const { main } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'edge/cli/main.ts')).href)}); await main(['help']);`,
      };
      const samples: Record<string, { ms: number; rssMb: number }[]> = { bundle: [], tsx: [] };
      // Interleaved, so a change in the machine's load touches both alike.
      for (let i = 0; i < runs; i++) for (const [mode, script] of Object.entries(scripts)) samples[mode]!.push(await startOnce(script));
      io.out(`kraite help, medians of ${runs} runs each (interleaved):`);
      for (const [mode, s] of Object.entries(samples)) {
        io.out(`  ${mode.padEnd(6)}  ${median(s.map((x) => x.ms)).toFixed(0).padStart(6)} ms  ${median(s.map((x) => x.rssMb)).toFixed(0).padStart(4)} MB peak RSS`);
      }
      return 0;
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};
