// The in-process fake exchange for handler unit tests: the real Binance client, whose fetch hands
// each request straight to the simulator's gateway (signatures, weights, faults and all) with no
// socket in between. Runtime-neutral, so it serves Worker-style tests too.
import { BinanceUsdmClient } from '../exchange/binance/binance-client.ts';
import type { CallEvent, FetchFn } from '../exchange/binance/request.ts';
import type { Signer } from '../exchange/binance/signing.ts';
import type { ExchangePort } from '../exchange/exchange.port.ts';
import type { ExchangeGovernor } from '../governor/weight-governor.port.ts';
import type { Clock } from '../ports/clock.ts';
import { SimGateway, webCryptoVerifier, type SignatureVerifier } from './gateway.ts';
import type { SimExchange } from './sim-exchange.ts';

/** A fetch that answers from the simulator in-process, metering `ip` as the caller's address. */
export function inProcessFetch(exchange: SimExchange, ip = '127.0.0.1', verifier: SignatureVerifier = webCryptoVerifier): FetchFn {
  const gateway = new SimGateway(exchange, verifier);
  return async (url, init) => {
    const u = new URL(url);
    const res = await gateway.handle({
      method: init.method, path: u.pathname, query: u.search.replace(/^\?/, ''), body: init.body ?? '',
      apiKey: init.headers['X-MBX-APIKEY'] ?? init.headers['x-mbx-apikey'], ip,
    });
    // A fault that "drops the connection" looks like a network failure to the client.
    if (res.drop) throw new TypeError('fetch failed: connection dropped by the simulator');
    const headers = new Map(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
    return { status: res.status, headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null }, text: async () => text };
  };
}

/** Options of an in-process client: governor and metrics as for a real one; signer and verifier to sign without Web Crypto (backtests). */
export interface InProcessOptions {
  governor?: ExchangeGovernor;
  accountId?: string;
  onCall?: (event: CallEvent) => void;
  signer?: Signer;
  verifier?: SignatureVerifier;
}

/** An ExchangePort for `ctx.exchange` in handler tests, backed by the in-process simulator. */
export function inProcessExchange(exchange: SimExchange, account: { apiKey: string; secret: string }, clock: Clock, options: InProcessOptions = {}): ExchangePort {
  const { verifier, ...client } = options;
  return new BinanceUsdmClient({ baseUrl: 'http://sim.invalid', apiKey: account.apiKey, secret: account.secret, clock, fetch: inProcessFetch(exchange, '127.0.0.1', verifier), ...client });
}
