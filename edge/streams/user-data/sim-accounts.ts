// A simulator with N accounts and the matching rows in the accounts table (credentials encrypted
// with a fresh key): what the user-data tests and benchmarks run the daemon against.
import { ManualClock } from '../../../core/ports/clock.ts';
import type { StepStore } from '../../../core/steps/step-store.port.ts';
import { insertAccount } from '../../../core/trading/account.ts';
import { applyRowEffects } from '../../../core/trading/apply-row-effects.ts';
import { encryptCredentials, importCredentialsKey } from '../../../core/trading/credentials.ts';
import { TABLES } from '../../../core/trading/tables.ts';
import { startSimulator, type RunningSimulator, type StartSimulatorOptions } from '../../sim/index.ts';

/** One simulated account as both sides know it. */
export interface SimAccountRef {
  id: number;
  apiKey: string;
  secret: string;
}

/** The simulator, the key that decrypts the rows, and the accounts. */
export interface SimAccounts {
  sim: RunningSimulator;
  credentialsKey: CryptoKey;
  /** The base64 key, as KRAITE_CREDENTIALS_KEY would hold it. */
  credentialsKeyBase64: string;
  accounts: SimAccountRef[];
  close(): Promise<void>;
}

/** Starts a simulator with `count` funded accounts and inserts them, trading enabled, into `store`. */
export async function simAccounts(store: StepStore, count: number, options: { prefix?: string; sim?: StartSimulatorOptions; at?: number } = {}): Promise<SimAccounts> {
  const prefix = options.prefix ?? 'ud';
  const refs = Array.from({ length: count }, (_, i) => ({ apiKey: `${prefix}-key-${i}`, secret: `${prefix}-secret-${i}` }));
  const sim = await startSimulator({ ...options.sim, accounts: refs.map((r) => ({ ...r, balance: '100000' })) });
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const credentialsKeyBase64 = btoa(String.fromCharCode(...raw));
  const credentialsKey = await importCredentialsKey(credentialsKeyBase64);
  const accounts = await seedAccounts(store, credentialsKey, refs, options.at);
  return { sim, credentialsKey, credentialsKeyBase64, accounts, close: () => sim.close() };
}

/** Inserts one trading-enabled account row per key pair (named after the API key); returns them with their ids. */
export async function seedAccounts(store: StepStore, credentialsKey: CryptoKey, refs: readonly { apiKey: string; secret: string }[], at = new ManualClock().now()): Promise<SimAccountRef[]> {
  const accounts: SimAccountRef[] = [];
  for (const ref of refs) {
    const enc = await encryptCredentials(credentialsKey, ref.apiKey, ref.secret);
    await store.transaction((tx) => applyRowEffects(tx, [insertAccount({ name: ref.apiKey, apiKeyEnc: enc.apiKeyEnc, apiSecretEnc: enc.apiSecretEnc, tradingEnabled: true }, at)]));
    const [row] = await store.findRows(TABLES.accounts, { name: ref.apiKey }, { limit: 1 });
    accounts.push({ id: Number(row!.id), apiKey: ref.apiKey, secret: ref.secret });
  }
  return accounts;
}
