// Polls `check` every 25 ms until it holds, failing with `what` after `deadlineMs` (a server
// coming up, not a test outcome: tests poll with expect.poll).

/** Waits until `check` resolves true. */
export async function waitUntil(check: () => Promise<boolean>, deadlineMs: number, what: string): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
