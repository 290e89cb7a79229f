// What the admin reads and drives in the running fleet: the step store (steps, events, saturation,
// trading rows), queue gauges, the dispatcher's counters, step retry/cancel and the allowlisted
// operational commands. The runtime builds it from its engine (engine-fleet.ts); tests too.
import type { HeartbeatPort } from '../../core/fleet/heartbeat.port.ts';
import type { ExchangeGovernor } from '../../core/governor/weight-governor.port.ts';
import type { DaemonStats } from '../../core/steps/dispatch-daemon.ts';
import type { SaturationSample, StepStore } from '../../core/steps/step-store.port.ts';
import type { Step, StepSet } from '../../core/steps/step.ts';

/** One physical queue as the dashboard shows it. */
export interface QueueGauge {
  queue: string;
  /** Consumers' concurrency in this process (0 when another box consumes it). */
  concurrency: number;
  waiting: number;
  active: number;
  delayed: number;
  oldestWaitingMs: number | null;
}

/** One operational command the admin may run (the allowlist is exactly the array the fleet gives). */
export interface AdminCommand {
  /** Stable name, used in the form and the audit trail (`steps:recover-stale`). */
  name: string;
  summary: string;
  /** Runs it once; resolves to a one-line summary of what it did. */
  run(): Promise<string>;
}

/** The running fleet as the admin sees it. */
export interface AdminFleet {
  /** Which boxes this process stands in for, and on what store and queue. */
  info: { boxes: string[]; mode: { store: string; queue: string } };
  store: StepStore;
  queues(): Promise<QueueGauge[]>;
  /** The local dispatch daemon's counters, or null when it runs on another box. */
  dispatcher(): DaemonStats | null;
  /** The local daemon's saturation counters not yet written to the store (none when it runs on another box). */
  unflushedSaturation?(): SaturationSample[];
  retryStep(set: StepSet, id: number): Promise<Step>;
  cancelStep(set: StepSet, id: number): Promise<Step>;
  commands: readonly AdminCommand[];
  /** Starts the position's close workflow as the operator's "close now" (exit reason `operator`); a position already closing keeps its block. */
  closePosition(positionUuid: string, who: string): Promise<Step>;
  /** Starts the cancel of one stuck working order of a position no longer managed (trading.order.cancel). */
  cancelOrder(positionUuid: string, clientOrderId: string): Promise<Step>;
  /** Where processes publish heartbeats; absent until the runtime wires one (the panel says so). */
  heartbeats?: Pick<HeartbeatPort, 'list'>;
  /** The shared exchange governor (weight per egress IP, bans, order counts); absent until wired. */
  governor?: Pick<ExchangeGovernor, 'state'>;
}
