// On Node, one keep-alive connection pool per egress IP: each fetch is bound to an undici Agent
// whose sockets leave from `localAddress`, so Binance meters (and bans) each IP separately and the
// governor can steer work between them.
import { Agent, fetch as undiciFetch } from 'undici';
import type { Egress, FetchFn } from '../../core/exchange/binance/request.ts';

/** Pool settings for one egress. */
export interface EgressFetchOptions {
  /** Source address to bind (e.g. "203.0.113.7"); omitted = the OS default route. */
  localAddress?: string;
  /** Idle keep-alive per socket (default 30 s; Binance closes idle connections after a while anyway). */
  keepAliveTimeoutMs?: number;
  /** Max sockets to the exchange host from this IP (default 16). */
  connections?: number;
  /** TCP connect timeout (default 5 s). */
  connectTimeoutMs?: number;
}

/** A fetch bound to its own pool, and the way to close that pool. */
export interface EgressFetch {
  fetch: FetchFn;
  close(): Promise<void>;
}

/** Builds a keep-alive fetch bound to one egress address. */
export function egressFetch(options: EgressFetchOptions = {}): EgressFetch {
  const agent = new Agent({
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    connections: options.connections ?? 16,
    // The client-level localAddress, not connect.localAddress: undici 7 passes the client's value
    // to every socket it opens, overriding (with null) whatever the connect options say.
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    connect: { timeout: options.connectTimeoutMs ?? 5_000 },
  });
  const fetch: FetchFn = (url, init) => undiciFetch(url, { ...init, dispatcher: agent });
  return { fetch, close: () => agent.close() };
}

/** One Egress per address, for BinanceUsdmClient's `egress` option; close() closes every pool. */
export function egressPool(addresses: readonly string[], options: Omit<EgressFetchOptions, 'localAddress'> = {}): { egress: Egress[]; close(): Promise<void> } {
  const pools = addresses.map((ip) => ({ ip, ...egressFetch({ ...options, localAddress: ip }) }));
  return {
    egress: pools.map(({ ip, fetch }) => ({ ip, fetch })),
    close: async () => {
      await Promise.all(pools.map((p) => p.close()));
    },
  };
}
