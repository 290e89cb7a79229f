// Splitting the accounts over several daemon processes: `--shard i/n` takes the accounts whose id
// is i modulo n, so shards are disjoint, cover every account, and need no coordination.
import { ValidationError } from '../../../core/errors.ts';

/** Shard `index` of `count` (0 ≤ index < count). */
export interface Shard {
  index: number;
  count: number;
}

/** Parses "i/n" (e.g. "0/2" and "1/2"); the error names the rule that failed. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new ValidationError(`--shard must look like i/n (e.g. 0/2), got "${text}"`, 'INVALID_SHARD');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new ValidationError(`--shard ${text}: i must be between 0 and n-1, and n at least 1`, 'INVALID_SHARD');
  return { index, count };
}

/** Whether an account belongs to a shard. */
export function inShard(accountId: number, shard: Shard): boolean {
  return accountId % shard.count === shard.index;
}
