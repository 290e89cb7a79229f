// How a handler reaches an account's exchange: decrypt the account's credentials with the
// process's key and connect a client. One client per account, rebuilt when the stored ciphertext
// changes (a rotated key); plaintext credentials never leave the ApiCredentials wrapper.
import type { ExchangePort } from '../exchange/exchange.port.ts';
import type { AccountRow } from './account.ts';
import { decryptCredentials, type ApiCredentials } from './credentials.ts';

/** Gives the exchange port acting as an account. */
export interface ExchangeDirectory {
  forAccount(account: AccountRow): Promise<ExchangePort>;
}

/** Builds a client for decrypted credentials. */
export type ExchangeConnector = (credentials: ApiCredentials, account: AccountRow) => ExchangePort;

/** A directory that decrypts with `key` and connects with `connect`, caching per account. */
export function credentialDirectory(key: CryptoKey, connect: ExchangeConnector): ExchangeDirectory {
  const cache = new Map<number, { stamp: string; port: Promise<ExchangePort> }>();
  return {
    forAccount(account) {
      const stamp = `${account.apiKeyEnc}|${account.apiSecretEnc}`;
      const hit = cache.get(account.id);
      if (hit?.stamp === stamp) return hit.port;
      const port = decryptCredentials(key, account).then((c) => connect(c, account));
      // A failed decrypt is not cached: the next call tries again (and fails loudly again).
      port.catch(() => cache.delete(account.id));
      cache.set(account.id, { stamp, port });
      return port;
    },
  };
}
