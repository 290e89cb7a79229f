// Block images: what this process last saw of a block's rows, each with its row_version, kept so a
// transaction can decide on a block without waiting for a locking read of it. The lock still goes
// out first, in the lock order of a live `lockBlock`, as the statement that also carries the
// transaction's writes to the block, and a guard behind it fails the packet when the block's rows
// are no longer the image's (block-write.ts). MariaDB runs nothing of a multi-statement packet
// after a failed statement, so a stale image stops the packet before COMMIT; the store rolls back
// and re-runs the transaction on a live read. A finish of a step this process claimed is thereby
// one packet of three statements: lock-and-write, guard, COMMIT.
//
// Correctness rests on one rule the store keeps: every write to a step row bumps its row_version
// (migration 0020), heartbeats included. The image is only a guess; the guard decides.
import type { Step, StepSet } from '../../../core/steps/step.ts';

/** One row of an image: the step as a read would return it, and its row_version. */
export interface RowImage {
  step: Step;
  version: number;
}

/** The MESSAGE_TEXT of the guard's error (errno 1644, SQLSTATE 45000). */
export const STALE_IMAGE_MESSAGE = 'kraite: block changed since this process read it';

/** Whether an error is the guard's: the transaction decided on a stale image and must re-run live. */
export const isStaleImage = (error: unknown) =>
  (error as { errno?: number }).errno === 1644 && (error as { sqlMessage?: string }).sqlMessage === STALE_IMAGE_MESSAGE;

/** `set:blockUuid`. */
export const blockKey = (set: StepSet, blockUuid: string) => `${set}:${blockUuid}`;

/** The images of recently used blocks, least recently stored first out (a bounded cache). */
export class BlockImages {
  private readonly blocks = new Map<string, RowImage[]>();

  constructor(private readonly capacity = 4_096) {}

  /** The block's image, or null. */
  get(set: StepSet, blockUuid: string): readonly RowImage[] | null {
    return this.blocks.get(blockKey(set, blockUuid)) ?? null;
  }

  /** Stores an image (rows in lock order), replacing any older one. */
  put(set: StepSet, blockUuid: string, rows: RowImage[]): void {
    const key = blockKey(set, blockUuid);
    this.blocks.delete(key);
    this.blocks.set(key, rows);
    if (this.blocks.size > this.capacity) this.blocks.delete(this.blocks.keys().next().value!);
  }

  drop(set: StepSet, blockUuid: string): void {
    this.blocks.delete(blockKey(set, blockUuid));
  }

  get size(): number {
    return this.blocks.size;
  }
}
