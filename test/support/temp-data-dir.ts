// A fresh KRAITE_DATA_DIR for a test that starts the embedded fleet: never the checkout's .kraite/,
// and never one another test (or an earlier run) left state in.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new empty directory under the system's temp directory. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'kraite-data-'));
}
