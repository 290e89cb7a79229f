// How a long-running command waits to be stopped: SIGTERM, SIGINT, the caller's abort signal
// (tests), or any of `also` (a daemon's own reason to end: a silent stream, a memory ceiling).
// Resolves with the reason and leaves no signal listener behind.

/** Waits for the first stop reason. */
export function waitForStop(signal: AbortSignal | undefined, ...also: Promise<string>[]): Promise<string> {
  return new Promise((resolve) => {
    let done = false;
    const stop = (why: string) => {
      if (done) return;
      done = true;
      process.off('SIGTERM', term);
      process.off('SIGINT', int);
      resolve(why);
    };
    const term = () => stop('SIGTERM');
    const int = () => stop('SIGINT');
    process.once('SIGTERM', term);
    process.once('SIGINT', int);
    // A signal aborted before we got here (the caller stopped us while we were still starting)
    // never fires again: honour it now.
    if (signal?.aborted) stop('abort');
    else signal?.addEventListener('abort', () => stop('abort'), { once: true });
    for (const reason of also) void reason.then(stop);
  });
}
