// Benchmark `paper-state`: what keeping the embedded fleet's state costs. The step workload (3-step
// blocks of no-op handlers, chained like a fleet process) on the plain in-memory store (the peer)
// and on the journaled one (KRAITE_DATA_DIR), in the same run: steps/s and hop p50, journal bytes
// and fdatasyncs per commit. Then the restart: replaying that journal, writing the snapshot, and
// opening from the snapshot alone. Counters (bytes, syncs per commit) do not depend on load.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { JournalFile } from '../adapters/journal/journal-file.ts';
import type { CliIo } from '../cli/command.ts';
import { dataDirFiles, journalGenerations } from '../runtime/data-dir.ts';
import { openPaperState } from '../runtime/paper-state.ts';
import type { Benchmark } from './index.ts';
import { fmt, median, table } from './stats.ts';
import { runStepWorkload } from './step-workload.ts';

const WORKLOAD = { blocks: 400, stepsPerBlock: 3, inFlight: 32, concurrency: 16, chain: true };

/** Counts the fdatasyncs issued (one per batch of waiting commits) by wrapping the journal's sync. */
function countSyncs(): { syncs: number; waits: number; restore(): void } {
  const original = JournalFile.prototype.sync;
  let last: Promise<void> | null = null;
  const counter = { syncs: 0, waits: 0, restore: () => void (JournalFile.prototype.sync = original) };
  JournalFile.prototype.sync = function sync(this: JournalFile) {
    const p = original.call(this);
    counter.waits += 1;
    if (p !== last) counter.syncs += 1;
    last = p;
    return p;
  };
  return counter;
}

async function run(io: CliIo, args: string[]): Promise<number> {
  const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
  const plain: number[] = [];
  const kept: number[] = [];
  const plainHop: number[] = [];
  const keptHop: number[] = [];
  let bytesPerCommit = 0;
  let commitsPerStep = 0;
  let syncCalls = 0;
  let waitsPerCommit = 0;
  let replay = { records: 0, ms: 0, snapshotMs: 0, snapshotBytes: 0, reopenMs: 0 };
  for (let i = 0; i < runs; i++) {
    const peer = await runStepWorkload({ store: new MemoryStepStore(), queue: new MemoryQueue(), ...WORKLOAD });
    plain.push(peer.stepsPerSecond);
    plainHop.push(peer.hopP50Ms);

    const dataDir = mkdtempSync(join(tmpdir(), 'kraite-bench-paper-'));
    try {
      const state = await openPaperState({ dataDir });
      const store = state.store;
      const counter = countSyncs();
      const result = await runStepWorkload({ store, queue: new MemoryQueue(), ...WORKLOAD });
      counter.restore();
      kept.push(result.stepsPerSecond);
      keptHop.push(result.hopP50Ms);
      const [gen] = journalGenerations(dataDir).slice(-1);
      const journalBytes = statSync(dataDirFiles(dataDir).journal(gen!)).size;
      // One record per commit that changed something (the workload's commits all do).
      const commits = JournalFile.read(dataDirFiles(dataDir).journal(gen!)).records.length;
      bytesPerCommit = journalBytes / commits;
      commitsPerStep = commits / result.steps;
      syncCalls = counter.syncs / commits;
      waitsPerCommit = counter.waits / commits;
      await state.abandon();
      // The restart after a crash: replay every record, then compact (one snapshot written).
      const t0 = performance.now();
      const reopened = await openPaperState({ dataDir });
      const ms = performance.now() - t0;
      const t1 = performance.now();
      await reopened.compact();
      const snapshotMs = performance.now() - t1;
      await reopened.close();
      const t2 = performance.now();
      const again = await openPaperState({ dataDir });
      replay = { records: reopened.loaded.records, ms, snapshotMs, snapshotBytes: statSync(dataDirFiles(dataDir).snapshot).size, reopenMs: performance.now() - t2 };
      await again.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  io.out(`paper-state: ${runs} runs of ${WORKLOAD.blocks} blocks × ${WORKLOAD.stepsPerBlock} steps (medians; load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
  for (const line of table([
    { name: 'steps/s, in-memory store (peer)', value: fmt(median(plain), 0) },
    { name: 'steps/s, journaled store', value: fmt(median(kept), 0), note: `${fmt((median(kept) / median(plain)) * 100, 0)} % of the peer` },
    { name: 'hop p50 ms, in-memory / journaled', value: `${fmt(median(plainHop))} / ${fmt(median(keptHop))}` },
    { name: 'commits per step', value: fmt(commitsPerStep) },
    { name: 'journal bytes per commit', value: fmt(bytesPerCommit, 0) },
    { name: 'fdatasyncs per commit', value: fmt(syncCalls), note: `commits finishing in one turn share one (${fmt(waitsPerCommit)} waits per commit)` },
    { name: `replay at start (${replay.records} records)`, value: `${fmt(replay.ms, 0)} ms`, note: `${fmt(replay.records / (replay.ms / 1000), 0)} records/s, then one compaction` },
    { name: 'snapshot written', value: `${fmt(replay.snapshotMs, 0)} ms`, note: `${fmt(replay.snapshotBytes / 1024, 0)} KiB` },
    { name: 'open from the snapshot alone', value: `${fmt(replay.reopenMs, 0)} ms` },
  ])) io.out(line);
  return 0;
}

/** The benchmark. */
export const paperStateBenchmark: Benchmark = { name: 'paper-state', summary: 'what keeping the embedded state costs: steps/s journaled vs in-memory, bytes and syncs per commit, replay and snapshot at restart', run };
