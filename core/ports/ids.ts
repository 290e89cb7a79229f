// Unique ids and randomness, injectable for deterministic tests.

/** Produces unique identifiers (block uuids, request ids). */
export interface IdSource {
  uuid(): string;
}

/** Web Crypto backed ids. */
export const cryptoIds: IdSource = { uuid: () => crypto.randomUUID() };

/** Deterministic ids for tests: prefix plus a counter, formatted like a uuid. */
export function sequentialIds(prefix = '00000000'): IdSource {
  let n = 0;
  return { uuid: () => `${prefix}-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}` };
}

/** A seeded pseudo-random source (mulberry32): same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  const stream = new RandomStream(seed);
  return () => stream.next();
}

/** mulberry32 with its state in the open, so a persisted simulator resumes its walk where it stopped. */
export class RandomStream {
  /** The generator's whole state: a stream built from it continues the same sequence. */
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next value in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
