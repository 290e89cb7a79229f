// Operator commands over exchange accounts (shared store: DATABASE_URL): add one, list them, switch
// trading, rotate credentials, remove one. Credentials come from the environment, never from argv
// (which `ps` shows), are checked with a signed read against KRAITE_EXCHANGE_URL before they are
// stored, and are stored encrypted with KRAITE_CREDENTIALS_KEY.
import { insertAccount, removeAccount, setCredentials, setTradingEnabled, type AccountRow } from '../../../core/trading/account.ts';
import { applyRowEffects } from '../../../core/trading/apply-row-effects.ts';
import { decryptSecret, encryptCredentials, importCredentialsKey, masked } from '../../../core/trading/credentials.ts';
import { toAccount } from '../../../core/trading/account.ts';
import { openPositionsFor } from '../../../core/trading/reads.ts';
import { RowShapeError } from '../../../core/trading/row-codec.ts';
import { TABLES } from '../../../core/trading/tables.ts';
import { ConditionFailedError, DuplicateKeyError, type StepStore } from '../../../core/steps/step-store.port.ts';
import { cliStore } from '../cli-store.ts';
import { verifyApiKey } from '../../runtime/verify-api-key.ts';
import { defineCommand, UsageError, type CliIo } from '../command.ts';

const CREDENTIAL_VARS = ['KRAITE_CREDENTIALS_KEY', 'KRAITE_API_KEY', 'KRAITE_API_SECRET'] as const;

function accountId(command: string, positionals: string[]): number {
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(id) || id < 1) throw new UsageError(`${command} needs one account id (kraite accounts:list shows them)`);
  return id;
}

/**
 * Reads the key and secret from the environment and checks them with a signed read; returns the
 * encrypted pair, or null after saying why they were refused. `--unverified` skips the check.
 */
async function checkedCredentials(command: string, io: CliIo, unverified: boolean): Promise<{ apiKeyEnc: string; apiSecretEnc: string; verified: string } | null> {
  for (const v of CREDENTIAL_VARS) if (!io.env[v]) throw new UsageError(`${command} needs ${v} in the environment`);
  const [apiKey, secret] = [io.env.KRAITE_API_KEY!, io.env.KRAITE_API_SECRET!];
  const key = await importCredentialsKey(io.env.KRAITE_CREDENTIALS_KEY!);
  let verified = 'not verified (--unverified)';
  if (!unverified) {
    const exchange = io.env.KRAITE_EXCHANGE_URL;
    if (!exchange) throw new UsageError(`${command} checks the key with a signed read: set KRAITE_EXCHANGE_URL (Binance or a \`kraite sim\`), or pass --unverified`);
    const verdict = await verifyApiKey(exchange, apiKey, secret);
    if (verdict.kind !== 'verified') {
      io.err(verdict.kind === 'refused'
        ? `${command}: refused: ${verdict.reason}; nothing stored`
        : `${command}: could not check the key (${verdict.reason}); nothing stored (pass --unverified to store it anyway, with trading off)`);
      return null;
    }
    verified = `verified on ${new URL(exchange).host}${verdict.balance ? ` (${verdict.balance.asset} available ${verdict.balance.availableBalance})` : ''}`;
  }
  return { ...(await encryptCredentials(key, apiKey, secret)), verified };
}

async function withStore<T>(io: CliIo, body: (store: StepStore) => Promise<T>): Promise<T> {
  const store = await cliStore(io);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/** `kraite accounts:add`. */
export const accountsAddCommand = defineCommand({
  name: 'accounts:add',
  group: 'trade',
  env: ['DATABASE_URL', 'KRAITE_CREDENTIALS_KEY', 'KRAITE_API_KEY', 'KRAITE_API_SECRET', 'KRAITE_EXCHANGE_URL (unless --unverified)'],
  example: 'accounts:add --name main --enable-trading',
  flags: { name: 'a name for the account (letters, digits, . _ -, at most 64)', 'enable-trading': 'switch trading on at once (default: off until kraite accounts:trading ID --on)', unverified: 'store the key without the signed read (trading stays off)' },
  summary: 'add an exchange account: the key (KRAITE_API_KEY / KRAITE_API_SECRET) is checked with a signed read, then stored encrypted',
  usage: 'accounts:add --name NAME [--enable-trading | --unverified]   (env: KRAITE_CREDENTIALS_KEY, KRAITE_API_KEY, KRAITE_API_SECRET, KRAITE_EXCHANGE_URL)',
  options: { name: { type: 'string' }, 'enable-trading': { type: 'boolean' }, unverified: { type: 'boolean' } },
  async run({ values }, io) {
    const name = values.name as string | undefined;
    if (!name || !/^[\w.-]{1,64}$/.test(name)) throw new UsageError('accounts:add needs --name (letters, digits, . _ -, at most 64)');
    const unverified = Boolean(values.unverified);
    // A key nobody checked does not trade until an operator switches it on deliberately.
    if (unverified && values['enable-trading']) throw new UsageError('accounts:add: --unverified adds the account with trading off; switch it on later with kraite accounts:trading ID --on');
    const tradingEnabled = Boolean(values['enable-trading']);
    return withStore(io, async (store) => {
      const creds = await checkedCredentials('accounts:add', io, unverified);
      if (!creds) return 1;
      try {
        await store.transaction((tx) => applyRowEffects(tx, [insertAccount({ name, apiKeyEnc: creds.apiKeyEnc, apiSecretEnc: creds.apiSecretEnc, tradingEnabled }, Date.now())]));
      } catch (error) {
        if (error instanceof RowShapeError) throw new UsageError(error.message);
        if (error instanceof DuplicateKeyError) throw new UsageError(`accounts:add: an account named ${name} already exists (kraite accounts:list --all)`);
        throw error;
      }
      const [row] = await store.findRows(TABLES.accounts, { name }, { limit: 1 });
      io.out(`account ${name} (id ${String(row?.id)}) added, key ${creds.verified}, ${tradingEnabled ? 'trading on' : 'trading off (kraite accounts:trading ID --on)'}`);
      return 0;
    });
  },
});

/** `kraite accounts:list`. */
export const accountsListCommand = defineCommand({
  name: 'accounts:list',
  group: 'trade',
  env: ['DATABASE_URL (without it: the running npm start)', 'KRAITE_CREDENTIALS_KEY (optional: shows the masked key)'],
  example: 'accounts:list --json',
  flags: { all: 'include removed accounts', json: 'print JSON instead of a table' },
  summary: 'list exchange accounts: id, name, trading switch, masked key (with KRAITE_CREDENTIALS_KEY), open positions, last stream frame',
  usage: 'accounts:list [--all] [--json]   (--all includes removed accounts)',
  options: { all: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const key = io.env.KRAITE_CREDENTIALS_KEY ? await importCredentialsKey(io.env.KRAITE_CREDENTIALS_KEY) : null;
    return withStore(io, async (store) => {
      const accounts = (await store.findRows(TABLES.accounts, values.all ? {} : { removed_at: null }, { orderBy: 'id' })).map(toAccount);
      const rows = await Promise.all(accounts.map(async (a: AccountRow) => ({
        id: a.id, name: a.name, exchange: a.exchange, tradingEnabled: a.tradingEnabled, removedAt: a.removedAt,
        apiKey: key ? masked(await decryptSecret(key, a.apiKeyEnc, 'api_key').catch(() => '')) : '****',
        openPositions: (await openPositionsFor(store, a.id)).length, lastFrameAt: a.lastFrameAt, createdAt: a.createdAt,
      })));
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) io.out('no accounts (kraite accounts:add --name NAME)');
      else {
        for (const r of rows) {
          const state = r.removedAt !== null ? `removed ${new Date(r.removedAt).toISOString()}` : `trading ${r.tradingEnabled ? 'on ' : 'off'}`;
          io.out(`#${r.id} ${r.name.padEnd(16)} ${r.exchange.padEnd(8)} ${state}  key ${r.apiKey.padEnd(8)} open positions ${r.openPositions}  last frame ${r.lastFrameAt === null ? 'never' : new Date(r.lastFrameAt).toISOString()}`);
        }
      }
      return 0;
    });
  },
});

/** `kraite accounts:trading`. */
export const accountsTradingCommand = defineCommand({
  name: 'accounts:trading',
  group: 'trade',
  env: ['DATABASE_URL (without it: the running npm start)'],
  example: 'accounts:trading 1 --off',
  flags: { on: 'let the account open new positions', off: 'stop new positions (open ones are still managed to their close)' },
  summary: 'switch an account\'s trading on or off (off takes effect before the next market entry)',
  usage: 'accounts:trading ID (--on | --off)',
  options: { on: { type: 'boolean' }, off: { type: 'boolean' } },
  positionals: true,
  async run({ values, positionals }, io) {
    const id = accountId('accounts:trading', positionals);
    if (Boolean(values.on) === Boolean(values.off)) throw new UsageError('accounts:trading needs exactly one of --on or --off');
    return withStore(io, async (store) => {
      const [row] = await store.findRows(TABLES.accounts, { id }, { limit: 1 });
      if (!row) {
        io.err(`no account ${id}`);
        return 1;
      }
      if (row.removed_at !== null && values.on) {
        io.err(`account ${id} was removed: add it again with kraite accounts:add`);
        return 1;
      }
      await store.transaction((tx) => applyRowEffects(tx, [setTradingEnabled(id, Boolean(values.on), Date.now())]));
      io.out(`account ${id}: trading ${values.on ? 'on' : 'off'}`);
      return 0;
    });
  },
});

/** `kraite accounts:credentials`. */
export const accountsCredentialsCommand = defineCommand({
  name: 'accounts:credentials',
  group: 'trade',
  env: ['DATABASE_URL', 'KRAITE_CREDENTIALS_KEY', 'KRAITE_API_KEY', 'KRAITE_API_SECRET', 'KRAITE_EXCHANGE_URL (unless --unverified)'],
  example: 'accounts:credentials 1',
  flags: { unverified: 'replace the key without the signed read' },
  summary: 'rotate an account\'s API key and secret (from KRAITE_API_KEY / KRAITE_API_SECRET, checked with a signed read first)',
  usage: 'accounts:credentials ID [--unverified]   (env: KRAITE_CREDENTIALS_KEY, KRAITE_API_KEY, KRAITE_API_SECRET, KRAITE_EXCHANGE_URL)',
  options: { unverified: { type: 'boolean' } },
  positionals: true,
  async run({ values, positionals }, io) {
    const id = accountId('accounts:credentials', positionals);
    return withStore(io, async (store) => {
      const creds = await checkedCredentials('accounts:credentials', io, Boolean(values.unverified));
      if (!creds) return 1;
      try {
        await store.transaction((tx) => applyRowEffects(tx, [setCredentials(id, creds, Date.now())]));
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
        io.err(`no account ${id} in use (kraite accounts:list)`);
        return 1;
      }
      // Every process's exchange directory sees the new ciphertext and reconnects with the new key.
      io.out(`account ${id}: credentials replaced, key ${creds.verified}`);
      return 0;
    });
  },
});

/** `kraite accounts:remove`. */
export const accountsRemoveCommand = defineCommand({
  name: 'accounts:remove',
  group: 'trade',
  env: ['DATABASE_URL'],
  example: 'accounts:remove 2',
  flags: {},
  summary: 'remove an account (refused while it has open positions); its history stays',
  usage: 'accounts:remove ID',
  options: {},
  positionals: true,
  async run({ positionals }, io) {
    const id = accountId('accounts:remove', positionals);
    return withStore(io, async (store) => {
      const open = await store.transaction(async (tx) => {
        // Checked and written in one transaction; the open block re-reads the trading switch before its market entry.
        const positions = await openPositionsFor(tx, id);
        if (positions.length === 0) await applyRowEffects(tx, [removeAccount(id, Date.now())]);
        return positions;
      }).catch((error: unknown) => {
        if (error instanceof ConditionFailedError) return null;
        throw error;
      });
      if (open === null) {
        io.err(`no account ${id} in use (kraite accounts:list --all)`);
        return 1;
      }
      if (open.length > 0) {
        io.err(`accounts:remove: account ${id} has ${open.length} open position(s): ${open.map((p) => `#${p.id} ${p.direction} ${p.symbol} (${p.status})`).join(', ')}; `
          + `switch trading off (kraite accounts:trading ${id} --off) and remove it once they have closed`);
        return 1;
      }
      io.out(`account ${id} removed: trading off, no longer polled or streamed; its positions and orders stay as history`);
      return 0;
    });
  },
});
