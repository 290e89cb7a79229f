import { describe, expect, it } from 'vitest';
import { waitForStop } from './wait-for-stop.ts';

describe('waitForStop', () => {
  it('resolves when the signal aborts', async () => {
    const stop = new AbortController();
    const waiting = waitForStop(stop.signal);
    stop.abort();
    await expect(waiting).resolves.toBe('abort');
  });

  it('resolves at once for a signal aborted before it was called (stopped while starting)', async () => {
    const stop = new AbortController();
    stop.abort();
    await expect(waitForStop(stop.signal)).resolves.toBe('abort');
  });

  it('resolves with the first of its own reasons and leaves no process listener behind', async () => {
    const before = process.listenerCount('SIGTERM');
    await expect(waitForStop(undefined, Promise.resolve('stream silent'))).resolves.toBe('stream silent');
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('leaves no process listener behind after an early abort', async () => {
    const before = process.listenerCount('SIGINT');
    const stop = new AbortController();
    stop.abort();
    await waitForStop(stop.signal);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
