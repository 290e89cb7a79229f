// `kraite credentials:rekey`: re-encrypts every account's API key and secret from the old
// credentials key (KRAITE_CREDENTIALS_KEY_OLD) to the new one (KRAITE_CREDENTIALS_KEY), in one
// transaction, so a rotation is all or nothing. Rows the new key already opens are left alone, so a
// re-run after an interruption finishes the job; a row neither key opens stops it, changing nothing.
import type { StepStore } from '../../../core/steps/step-store.port.ts';
import { decryptSecret, encryptSecret, importCredentialsKey } from '../../../core/trading/credentials.ts';
import { TABLES } from '../../../core/trading/tables.ts';
import { ValidationError } from '../../../core/errors.ts';
import { openStore } from '../../runtime/backends.ts';
import { loadConfig } from '../../runtime/config.ts';
import { defineCommand, UsageError } from '../command.ts';
import { cliActor } from './admin-create-user.command.ts';

/** How a rotation went: accounts re-encrypted, and accounts the new key already opened. */
export interface RekeyOutcome {
  rekeyed: string[];
  alreadyNew: string[];
}

async function opens(key: CryptoKey, keyEnc: string, secretEnc: string): Promise<{ apiKey: string; apiSecret: string } | null> {
  try {
    return { apiKey: await decryptSecret(key, keyEnc, 'api_key'), apiSecret: await decryptSecret(key, secretEnc, 'api_secret') };
  } catch {
    return null;
  }
}

/** Re-encrypts every account from `oldKey` to `newKey` in one transaction; throws (changing nothing) on a row neither opens. */
export async function rekeyAccounts(store: StepStore, oldKey: CryptoKey, newKey: CryptoKey, now: number): Promise<RekeyOutcome> {
  return store.transaction(async (tx) => {
    const outcome: RekeyOutcome = { rekeyed: [], alreadyNew: [] };
    for (const row of await tx.findRows(TABLES.accounts, {}, { orderBy: 'id' })) {
      const name = String(row.name);
      const keyEnc = String(row.api_key_enc);
      const secretEnc = String(row.api_secret_enc);
      if (await opens(newKey, keyEnc, secretEnc)) {
        outcome.alreadyNew.push(name);
        continue;
      }
      const plain = await opens(oldKey, keyEnc, secretEnc);
      if (!plain) throw new ValidationError(`account ${name}: neither KRAITE_CREDENTIALS_KEY_OLD nor KRAITE_CREDENTIALS_KEY opens its credentials; nothing was changed`, 'CREDENTIALS_KEY_MISMATCH');
      await tx.updateRows(TABLES.accounts, { id: Number(row.id) }, {
        api_key_enc: await encryptSecret(newKey, plain.apiKey, 'api_key'), api_secret_enc: await encryptSecret(newKey, plain.apiSecret, 'api_secret'), updated_at: now,
      });
      outcome.rekeyed.push(name);
    }
    return outcome;
  });
}

/** `kraite credentials:rekey`. */
export const credentialsRekeyCommand = defineCommand({
  name: 'credentials:rekey',
  group: 'operate',
  env: ['DATABASE_URL', 'KRAITE_CREDENTIALS_KEY_OLD', 'KRAITE_CREDENTIALS_KEY'],
  example: 'credentials:rekey',
  flags: {},
  summary: 're-encrypt every account\'s API credentials from KRAITE_CREDENTIALS_KEY_OLD to KRAITE_CREDENTIALS_KEY (all or nothing)',
  usage: 'credentials:rekey   (env: DATABASE_URL, KRAITE_CREDENTIALS_KEY_OLD, KRAITE_CREDENTIALS_KEY)',
  options: {},
  async run(_args, io) {
    for (const v of ['KRAITE_CREDENTIALS_KEY_OLD', 'KRAITE_CREDENTIALS_KEY']) if (!io.env[v]) throw new UsageError(`credentials:rekey needs ${v} in the environment`);
    if (io.env.KRAITE_CREDENTIALS_KEY_OLD!.trim() === io.env.KRAITE_CREDENTIALS_KEY!.trim()) throw new UsageError('KRAITE_CREDENTIALS_KEY_OLD and KRAITE_CREDENTIALS_KEY are the same key');
    const oldKey = await importCredentialsKey(io.env.KRAITE_CREDENTIALS_KEY_OLD!);
    const newKey = await importCredentialsKey(io.env.KRAITE_CREDENTIALS_KEY!);
    const store = await openStore(io.env);
    try {
      const now = Date.now();
      const outcome = await rekeyAccounts(store, oldKey, newKey, now);
      const { createMySqlPool } = await import('../../adapters/mysql/mysql-pool.ts');
      const { MySqlAuditLog } = await import('../../adapters/mysql/admin-audit-log.ts');
      const pool = createMySqlPool(loadConfig(io.env).DATABASE_URL!, { connectionLimit: 1 });
      try {
        await new MySqlAuditLog(pool).record({
          at: now, who: cliActor(), action: 'credentials-rekey', subject: outcome.rekeyed.join(',') || null, outcome: 'ok',
          detail: `${outcome.rekeyed.length} re-encrypted, ${outcome.alreadyNew.length} already on the new key`,
        });
      } finally {
        await pool.end();
      }
      io.out(`credentials re-encrypted for ${outcome.rekeyed.length} account(s)${outcome.alreadyNew.length ? `; ${outcome.alreadyNew.length} already on the new key` : ''}`);
      return 0;
    } finally {
      await store.close();
    }
  },
});
