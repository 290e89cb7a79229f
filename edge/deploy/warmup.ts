// Deploy warmup, in order: the workers come back first (every queue-consuming box beats again),
// then the daemons (the ingestion box beats with its dispatcher), and only then the scheduler's
// paused entries resume (the cooldown flag is cleared). A phase that does not complete by the
// deadline leaves the cooldown on: the maintenance sentinel keeps paging until someone acts.
import type { Heartbeat, HeartbeatPort } from '../../core/fleet/heartbeat.port.ts';
import type { Topology } from '../../core/fleet/topology.schema.ts';
import type { CooldownPort } from '../../core/scheduler/cooldown.port.ts';

/** A warmup phase and the boxes it waits for. */
export interface WarmupPhase {
  name: 'workers' | 'daemons' | 'scheduler';
  boxes: string[];
}

/** The phases for a topology: queue consumers without daemons, then daemon boxes, then the scheduler. */
export function warmupPhases(topology: Topology): WarmupPhase[] {
  const running = topology.boxes.filter((b) => !b.roles.every((r) => r === 'storage' || r === 'web'));
  return [
    { name: 'workers', boxes: running.filter((b) => b.daemons.length === 0).map((b) => b.name) },
    { name: 'daemons', boxes: running.filter((b) => b.daemons.length > 0).map((b) => b.name) },
    { name: 'scheduler', boxes: running.filter((b) => b.daemons.includes('scheduler')).map((b) => b.name) },
  ];
}

/** How the warmup went. */
export interface WarmupResult {
  ok: boolean;
  /** The phase that timed out and the boxes it still waited for. */
  failed?: { phase: string; missing: string[] };
}

/** Options of a warmup run. */
export interface WarmupOptions {
  heartbeats: HeartbeatPort;
  cooldown: CooldownPort;
  /** A beat counts when it is newer than this (a restarted process beats at start). */
  freshSince: number;
  timeoutMs: number;
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  say?: (line: string) => void;
  /** Probes a box's /health/ready: null when ready, else what is wrong. A box counts once it beats and is ready. */
  ready?: (box: string) => Promise<string | null>;
}

const fresh = (beats: Heartbeat[], box: string, since: number, need?: string) =>
  beats.some((b) => b.box === box && b.at >= since && (!need || b.processes.includes(need)));

/** Runs the phases in order; clears the cooldown only when workers and daemons are back. */
export async function warmup(topology: Topology, o: WarmupOptions): Promise<WarmupResult> {
  const now = o.now ?? (() => Date.now());
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + o.timeoutMs;
  for (const phase of warmupPhases(topology)) {
    if (phase.name === 'scheduler') break;
    const need = phase.name === 'daemons' ? 'dispatcher' : undefined;
    for (;;) {
      const beats = await o.heartbeats.list();
      const beating = phase.boxes.filter((box) => fresh(beats, box, o.freshSince, need));
      const unready = o.ready ? (await Promise.all(beating.map(async (box) => [box, await o.ready!(box)] as const))).filter(([, why]) => why !== null) : [];
      const missing = [...phase.boxes.filter((box) => !beating.includes(box)), ...unready.map(([box, why]) => `${box} (not ready: ${why})`)];
      if (missing.length === 0) {
        o.say?.(`warmup: ${phase.name} up (${phase.boxes.join(', ') || 'none'})`);
        break;
      }
      if (now() >= deadline) return { ok: false, failed: { phase: phase.name, missing } };
      await sleep(o.pollMs ?? 1_000);
    }
  }
  await o.cooldown.end();
  o.say?.('warmup: cooldown cleared; the scheduler resumes its paused entries');
  return { ok: true };
}
