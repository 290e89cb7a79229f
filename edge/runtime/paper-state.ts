// The embedded fleet's persistent state: the in-memory store and the paper simulator, kept in the
// data directory as a snapshot plus one append-only journal that both write to in the order things
// happened — a store commit's after-images, a simulator input (an order placed, a price step).
// One file for both is what keeps them consistent after a crash: a torn tail drops a suffix of
// both, never a simulator order a commit after it refers to. A simulator input is journaled before
// it runs, so a crash between the exchange accepting an order and the store committing it leaves
// the order on the restored exchange, and the step's rerun finds it by its client id.
//
// Start: load the snapshot (generation G), replay journals G, G+1… in order, then compact into a
// new snapshot and an empty journal. Compaction also runs every `compactEveryMs` and when the
// journal passes `compactBytes`; it switches journals inside the store's lock, so every record
// lands either in the snapshot or in the journal after it. Heartbeats are not journaled: after a
// crash a running step only looks staler, and the restart takes it back sooner.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { ValidationError } from '../../core/errors.ts';
import type { MemoryChange, MemorySnapshot } from '../../core/adapters/memory/memory-changes.ts';
import type { UniqueKeys } from '../../core/adapters/memory/memory-rows.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { SimExchange } from '../../core/sim/sim-exchange.ts';
import type { SimInput } from '../../core/sim/sim-input.ts';
import { restoreSim, simSnapshot, type SimSnapshot } from '../../core/sim/sim-snapshot.ts';
import { JournalFile } from '../adapters/journal/journal-file.ts';
import { dataDirFiles, journalGenerations, lockDataDir, paperCredentialsKey } from './data-dir.ts';

/** One journal record: a store commit or a simulator input. */
export type PaperRecord = { tx: MemoryChange } | { sim: SimInput };

/** The snapshot file: the state before the first record of journal `gen`. */
interface PaperSnapshot {
  version: 1;
  gen: number;
  store: MemorySnapshot;
  sim: SimSnapshot | null;
}

/** How to open the state. */
export interface PaperStateOptions {
  dataDir: string;
  uniqueKeys?: UniqueKeys;
  /** Builds the simulator (fresh, with its accounts) and hands it the recorder; omitted when the fleet trades elsewhere. */
  createSim?: (recorder: (input: SimInput) => void) => SimExchange;
  /** Compaction cadence (default 10 minutes: a crash replays at most that much). */
  compactEveryMs?: number;
  /** Compaction once the journal is this long (default 16 MiB). */
  compactBytes?: number;
  logger?: Logger;
  /**
   * Loads without taking the directory: no lock, no compaction, nothing written (what the journal
   * would say if the fleet started now). For inspection, e.g. a test reading a stopped fleet's exchange.
   */
  readOnly?: boolean;
}

/** The open state. */
export interface PaperState {
  store: MemoryStepStore;
  sim: SimExchange | null;
  /** The paper account's credentials key (base64), kept in the data directory. */
  credentialsKey: string;
  /** What the start found: whether there was a snapshot, journal records replayed, and a torn tail's bytes dropped. */
  loaded: { snapshot: boolean; records: number; droppedBytes: number };
  /** Writes a snapshot and starts a fresh journal. */
  compact(): Promise<void>;
  /** Compacts, closes the journal and lets go of the directory. */
  close(): Promise<void>;
  /** Stops writing and lets go without a snapshot: what a killed process leaves behind (crash tests). */
  abandon(): Promise<void>;
}

function readSnapshot(path: string): PaperSnapshot | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const snap = JSON.parse(text) as PaperSnapshot;
  if (snap.version !== 1) throw new Error(`${path}: snapshot version ${String(snap.version)} is not supported (kraite reset-paper starts over)`);
  return snap;
}

/** Writes the snapshot under another name, syncs it, renames it over the old one and syncs the directory. */
function writeSnapshot(path: string, dir: string, snap: PaperSnapshot): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snap), { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
  const dirFd = openSync(dir, 'r');
  fsyncSync(dirFd);
  closeSync(dirFd);
}

/** Applies journal records in order; returns how many. */
function replay(store: MemoryStepStore, sim: SimExchange | null, records: PaperRecord[]): number {
  for (const record of records) {
    if ('tx' in record) store.applyChange(record.tx);
    // A call the exchange rejected live is rejected again: replayInput reports it and goes on.
    else sim?.replayInput(record.sim);
  }
  return records.length;
}

/** Opens (or creates) the embedded state of a data directory. */
export async function openPaperState(o: PaperStateOptions): Promise<PaperState> {
  if (o.readOnly) return inspectPaperState(o);
  const release = lockDataDir(o.dataDir);
  const files = dataDirFiles(o.dataDir);
  let journal: JournalFile | null = null;
  let compacting: Promise<void> | null = null;
  let closed = false;
  const compactBytes = o.compactBytes ?? 16 * 1024 * 1024;
  let state!: PaperState;
  const append = (record: PaperRecord) => {
    journal!.append(record);
    if (journal!.size > compactBytes && !compacting && !closed) void state.compact();
  };
  try {
    // A commit appended just before a compaction switched files waits for the old file's closing sync too.
    let retiring: Promise<void> = Promise.resolve();
    const durable = async () => {
      await journal!.sync();
      await retiring;
    };
    const store = new MemoryStepStore({ uniqueKeys: o.uniqueKeys, onCommit: (tx) => append({ tx }), durable });
    const sim = o.createSim?.((input) => append({ sim: input })) ?? null;
    const snap = readSnapshot(files.snapshot);
    // Positions opened on the embedded simulator mean nothing on another exchange, and the reverse.
    if (snap && (snap.sim === null) !== (sim === null)) {
      throw new ValidationError(snap.sim
        ? `KRAITE_DATA_DIR ${files.dir} holds paper trading on the embedded simulator, but KRAITE_EXCHANGE_URL names another exchange: unset it, use another KRAITE_DATA_DIR, or kraite reset-paper`
        : `KRAITE_DATA_DIR ${files.dir} holds a fleet that traded on KRAITE_EXCHANGE_URL, which is unset now: set it again, use another KRAITE_DATA_DIR, or kraite reset-paper`, 'DATA_DIR_OTHER_VENUE');
    }
    let gen = snap?.gen ?? 1;
    if (snap) {
      store.restore(snap.store);
      if (sim && snap.sim) restoreSim(sim, snap.sim);
    }
    const loaded = { snapshot: snap !== null, records: 0, droppedBytes: 0 };
    for (const g of journalGenerations(o.dataDir)) {
      // Journals before the snapshot's are in it; without a snapshot a journal has nothing to apply to.
      if (!snap || g < gen) {
        rmSync(files.journal(g), { force: true });
        continue;
      }
      await journal?.close();
      const opened = JournalFile.open(files.journal(g));
      journal = opened.journal;
      gen = g;
      loaded.droppedBytes += opened.contents.droppedBytes;
      if (opened.contents.droppedBytes > 0) o.logger?.warn('paper state: dropped a torn journal tail', { file: files.journal(g), bytes: opened.contents.droppedBytes });
      loaded.records += replay(store, sim, opened.contents.records as PaperRecord[]);
    }

    state = {
      store, sim, credentialsKey: paperCredentialsKey(o.dataDir), loaded,
      compact() {
        compacting ??= (async () => {
          try {
            let body!: PaperSnapshot;
            await store.exclusive(() => {
              body = { version: 1, gen: gen + 1, store: store.snapshotNow(), sim: sim ? simSnapshot(sim) : null };
              const previous = journal;
              journal = JournalFile.open(files.journal(gen + 1)).journal;
              gen += 1;
              retiring = previous?.close() ?? Promise.resolve();
            });
            await retiring;
            writeSnapshot(files.snapshot, files.dir, body);
            for (const g of journalGenerations(o.dataDir)) if (g < gen) rmSync(files.journal(g), { force: true });
          } finally {
            compacting = null;
          }
        })();
        return compacting;
      },
      async close() {
        if (closed) return;
        clearInterval(timer);
        await compacting;
        await state.compact();
        closed = true;
        await journal?.close();
        release();
      },
      async abandon() {
        clearInterval(timer);
        await compacting;
        closed = true;
        await journal?.close();
        release();
      },
    };
    // A first start, or one that replayed records, begins from a snapshot of where it stands.
    if (!snap || loaded.records > 0 || loaded.droppedBytes > 0 || journal === null) await state.compact();
    const timer = setInterval(() => {
      state.compact().catch((error: unknown) => o.logger?.error('paper state: compaction failed; the journal keeps growing', { error: String(error) }));
    }, o.compactEveryMs ?? 600_000);
    timer.unref();
    return state;
  } catch (error) {
    await journal?.close().catch(() => undefined);
    release();
    throw error;
  }
}

/** Loads snapshot and journals into fresh objects and writes nothing (PaperStateOptions.readOnly). */
function inspectPaperState(o: PaperStateOptions): PaperState {
  const files = dataDirFiles(o.dataDir);
  const store = new MemoryStepStore({ uniqueKeys: o.uniqueKeys });
  const sim = o.createSim?.(() => undefined) ?? null;
  const snap = readSnapshot(files.snapshot);
  const loaded = { snapshot: snap !== null, records: 0, droppedBytes: 0 };
  if (snap) {
    store.restore(snap.store);
    if (sim && snap.sim) restoreSim(sim, snap.sim);
    for (const g of journalGenerations(o.dataDir).filter((g) => g >= snap.gen)) {
      const contents = JournalFile.read(files.journal(g));
      loaded.droppedBytes += contents.droppedBytes;
      loaded.records += replay(store, sim, contents.records as PaperRecord[]);
    }
  }
  return { store, sim, credentialsKey: '', loaded, compact: async () => undefined, close: async () => undefined, abandon: async () => undefined };
}
