// A promise with its resolve exposed: tests hold a processor until they choose to release it.

/** A promise and the function that resolves it. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
}

/** Creates a pending promise the caller resolves by hand. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
