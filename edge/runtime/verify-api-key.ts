// Checks an API key and secret against the exchange before they are stored: one signed read (the
// account's balances, weight 5). A wrong key or secret is refused by the exchange (-2014/-2015 key,
// -1022 signature); anything else (network, exchange down) means "could not check", not "wrong".
import { BinanceUsdmClient } from '../../core/exchange/binance/binance-client.ts';
import { isExchangeError } from '../../core/exchange/exchange-errors.ts';
import type { Balance } from '../../core/exchange/exchange.port.ts';
import { systemClock } from '../../core/ports/clock.ts';
import { egressFetch } from '../adapters/undici-fetch.ts';

/** What the signed read said: the key works (with the quote asset's balance), the exchange refused it, or it could not be checked. */
export type KeyVerdict =
  | { kind: 'verified'; balance: Balance | null }
  | { kind: 'refused'; reason: string }
  | { kind: 'unchecked'; reason: string };

/** Hints per Binance code, said in the operator's terms (which variable to fix). */
const HINTS: Record<number, string> = {
  [-2014]: 'the API key is malformed: check KRAITE_API_KEY',
  [-2015]: 'the exchange does not accept this key from this address: check KRAITE_API_KEY and the key\'s futures permission; if its IP whitelist leaves this host out, add it with --unverified',
  [-1022]: 'the signature does not match the key: check KRAITE_API_SECRET',
};

/** Sends one signed read with the given key and secret to `baseUrl`. */
export async function verifyApiKey(baseUrl: string, apiKey: string, secret: string, quoteAsset = 'USDT'): Promise<KeyVerdict> {
  const http = egressFetch({ connectTimeoutMs: 5_000 });
  try {
    const client = new BinanceUsdmClient({ baseUrl, apiKey, secret, clock: systemClock, fetch: http.fetch, timeoutMs: 10_000 });
    const balances = await client.getBalances();
    return { kind: 'verified', balance: balances.find((b) => b.asset === quoteAsset) ?? null };
  } catch (error) {
    if (isExchangeError(error, 'AUTH_REJECTED')) {
      const code = error.vendorCode;
      return { kind: 'refused', reason: `${code !== undefined ? HINTS[code] ?? 'the exchange refused the key' : 'the exchange refused the key'} (${code ?? ''} ${error.vendorMessage ?? ''})`.replace(/\( /, '(').trim() };
    }
    return { kind: 'unchecked', reason: (error as Error).message };
  } finally {
    await http.close();
  }
}
