// Polling for tests that wait on real I/O (sockets, child processes, servers coming up): checks
// `check` every `intervalMs` until it holds, failing with what it waited for after `timeoutMs`.
// Outcomes a test asserts are polled with expect.poll; this is for the waiting around them.

/** Waits until `check` holds. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000, intervalMs = 5): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
