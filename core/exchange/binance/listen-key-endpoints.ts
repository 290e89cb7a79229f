// User-data stream keys (API key only, no signature). Binance keeps one key per account: POST
// returns the active one and extends it, PUT extends it (60 min), DELETE closes it.
import type { BinanceRequest, Endpoint } from './request.ts';
import { obj, str } from './wire.ts';

const CREATE: Endpoint = { method: 'POST', path: '/fapi/v1/listenKey', security: 'API_KEY', weight: 1, mutation: false };
const KEEP_ALIVE: Endpoint = { method: 'PUT', path: '/fapi/v1/listenKey', security: 'API_KEY', weight: 1, mutation: false };
const CLOSE: Endpoint = { method: 'DELETE', path: '/fapi/v1/listenKey', security: 'API_KEY', weight: 1, mutation: false };

/** Creates (or returns the active) listen key. */
export function createListenKey(http: BinanceRequest): Promise<string> {
  return http.call(CREATE, {}, (body) => str(obj(body, 'listenKey'), 'listenKey'));
}

/** Extends the account's listen key; LISTEN_KEY_NOT_FOUND (-1125) means create a new one. */
export async function keepAliveListenKey(http: BinanceRequest): Promise<void> {
  await http.call(KEEP_ALIVE, {}, () => undefined);
}

/** Closes the account's listen key. */
export async function closeListenKey(http: BinanceRequest): Promise<void> {
  await http.call(CLOSE, {}, () => undefined);
}
