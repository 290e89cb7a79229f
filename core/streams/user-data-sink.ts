// Where a user-data frame goes: one transaction stores it raw in exchange_events and, when its
// execution type is on the allowlist, starts one root step (`trading.user-data-frame` on the
// `user-data-stream` lane) whose args name the audit row; the dedupe key keeps a duplicated frame
// from creating a second step. An empty allowlist is shadow mode: audit only.
import type { Logger } from '../ports/logger.ts';
import { silentLogger } from '../ports/logger.ts';
import type { AfterCommit, StepEngine } from '../steps/engine.ts';
import type { Step } from '../steps/step.ts';
import { DuplicateKeyError, type StepTx } from '../steps/step-store.port.ts';
import { recordExchangeEvent } from '../trading/audit.ts';
import { dedupeKeyFor } from './user-data-dedupe.ts';
import { classifyFrame, type ClassifiedFrame } from './user-data-frames.ts';

/** The handler every enqueued frame becomes a step of (the lead's trading code registers it). */
export const USER_DATA_HANDLER = 'trading.user-data-frame';
/** The lane those steps run on (athena's consumers). */
export const USER_DATA_LANE = 'user-data-stream';

/** The arguments of a `trading.user-data-frame` step. */
export interface UserDataFrameArgs {
  accountId: number;
  /** The exchange_events row holding the raw frame. */
  eventId: number | null;
  frame: Record<string, unknown>;
}

/** How a sink is built. */
export interface UserDataSinkOptions {
  engine: StepEngine;
  /** Execution types to enqueue; empty = shadow mode (audit only). */
  allowlist: Iterable<string>;
  logger?: Logger;
  /** Told the exchange event time of each frame that became a step, once committed (frame-lag metrics). */
  onEnqueued?: (eventTime: number) => void;
}

/** What happened to one frame. */
export interface SinkResult {
  classified: ClassifiedFrame;
  eventId: number | null;
  /** The step created for it, or the one a duplicate of it created earlier. */
  step: Step | null;
  /** A step was created by this frame. */
  enqueued: boolean;
  /** The frame's dedupe key was already taken: a duplicate, no new step. */
  duplicate: boolean;
}

/** Audits frames and enqueues the allowlisted ones. */
export class UserDataSink {
  readonly allowlist: ReadonlySet<string>;
  private readonly engine: StepEngine;
  private readonly logger: Logger;
  private readonly enqueues: boolean;
  private readonly onEnqueued?: (eventTime: number) => void;

  constructor(options: UserDataSinkOptions) {
    this.engine = options.engine;
    this.allowlist = new Set(options.allowlist);
    this.logger = options.logger ?? silentLogger;
    this.onEnqueued = options.onEnqueued;
    this.enqueues = this.allowlist.size > 0 && this.engine.o.registry.has(USER_DATA_HANDLER);
    if (this.allowlist.size > 0 && !this.enqueues) {
      this.logger.warn(`no ${USER_DATA_HANDLER} handler is registered: user-data frames are audited only (shadow mode)`);
    }
  }

  /** True when allowlisted frames become steps (false in shadow mode). */
  get enqueuing(): boolean {
    return this.enqueues;
  }

  /** Classifies, audits and (maybe) enqueues one text frame of `accountId`'s stream. */
  accept(accountId: number, text: string, receivedAt: number): Promise<SinkResult> {
    return this.acceptClassified(accountId, classifyFrame(text), receivedAt);
  }

  /** Audits and (maybe) enqueues a frame the caller already classified. */
  async acceptClassified(accountId: number, classified: ClassifiedFrame, receivedAt: number): Promise<SinkResult> {
    if (classified.reason) {
      this.logger.warn(`user-data frame ${classified.kind}: ${classified.reason}`, { account: accountId, eventType: classified.eventType });
    }
    const dedupeKey = this.enqueues && classified.executionType && this.allowlist.has(classified.executionType) ? dedupeKeyFor(accountId, classified) : null;
    const attempt = (assumeNew: boolean) => this.engine.transact(async (tx, after) => {
      const eventId = await this.audit(tx, accountId, classified, receivedAt);
      if (!dedupeKey) return { classified, eventId, step: null, enqueued: false, duplicate: false };
      return { classified, eventId, ...(await this.enqueue(tx, after, accountId, eventId, classified, dedupeKey, assumeNew)) };
    });
    let result: SinkResult;
    try {
      // Frames are new but for replays after a reconnect: insert without looking the key up first
      // (one round trip fewer on every frame's path).
      result = await attempt(true);
    } catch (error) {
      // The key was taken (a replayed frame, or another process in a deploy overlap): the
      // rolled-back attempt is re-run with the lookup, and now finds the step as a duplicate.
      if (!(error instanceof DuplicateKeyError)) throw error;
      result = await attempt(false);
    }
    if (result.enqueued && classified.eventTime !== null) this.onEnqueued?.(classified.eventTime);
    return result;
  }

  // A known dedupe key returns the existing block: the frame is a duplicate, no new step.
  private async enqueue(tx: StepTx, after: AfterCommit, accountId: number, eventId: number | null, c: ClassifiedFrame, dedupeKey: string, assumeNew: boolean) {
    const args: UserDataFrameArgs = { accountId, eventId, frame: c.frame! };
    const { steps: [step], created } = await this.engine.startOrFindInTx(tx, 'trading', [{ handler: USER_DATA_HANDLER, lane: USER_DATA_LANE, args: args as unknown as Record<string, unknown> }], { set: 'trading', dedupeKey, assumeNew }, after);
    return { step: step ?? null, enqueued: created, duplicate: !created };
  }

  // Appends the raw frame; the store hands back the row's id for the step's arguments.
  private async audit(tx: StepTx, accountId: number, c: ClassifiedFrame, receivedAt: number): Promise<number> {
    const effect = recordExchangeEvent({
      accountId, source: 'ws', eventType: c.eventType.slice(0, 64), symbol: c.symbol, clientOrderId: c.clientOrderId,
      eventTime: c.eventTime, payload: c.payload, receivedAt,
    });
    return tx.appendRow(effect.table, effect.row);
  }
}
