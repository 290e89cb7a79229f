// Builds the user-data daemon from the process configuration: exchange REST and stream URLs,
// credentials key, allowlist and stagger. Used by `kraite streams:user-data` and by fleet
// processes whose boxes run the `user-data-stream` daemon.
import type { Topology } from '../../../core/fleet/topology.schema.ts';
import type { Logger } from '../../../core/ports/logger.ts';
import type { StepEngine } from '../../../core/steps/engine.ts';
import { importCredentialsKey } from '../../../core/trading/credentials.ts';
import type { KraiteConfig } from '../../runtime/config.ts';
import type { Shard } from './shard.ts';
import { UserDataDaemon, type DaemonStatus, type UserDataDaemonOptions } from './user-data-daemon.ts';

/** Known REST hosts and their user-data stream bases (binance-reference.md §1). */
const STREAM_BASES: Record<string, string> = {
  'fapi.binance.com': 'wss://fstream.binance.com/private',
  'testnet.binancefuture.com': 'wss://fstream.binancefuture.com/private',
};

/**
 * The stream base: KRAITE_USER_DATA_WS_URL, else the Binance host matching KRAITE_EXCHANGE_URL,
 * else the same host over ws(s) (a `kraite sim`); null when no exchange is configured (paper mode).
 */
export function userDataWsUrl(config: Pick<KraiteConfig, 'KRAITE_USER_DATA_WS_URL' | 'KRAITE_EXCHANGE_URL'>): string | null {
  if (config.KRAITE_USER_DATA_WS_URL) return config.KRAITE_USER_DATA_WS_URL;
  if (!config.KRAITE_EXCHANGE_URL) return null;
  const rest = new URL(config.KRAITE_EXCHANGE_URL);
  const known = STREAM_BASES[rest.hostname];
  if (known) return known;
  return `${rest.protocol === 'https:' ? 'wss:' : 'ws:'}//${rest.host}`;
}

/** What the caller adds to the configuration. */
export interface StartUserDataOptions {
  engine: StepEngine;
  config: KraiteConfig;
  logger: Logger;
  shard?: Shard;
  memory?: UserDataDaemonOptions['memory'];
  onEnqueued?: UserDataDaemonOptions['onEnqueued'];
}

/** Starts the daemon; null (with a log line) when no exchange URL is configured: paper trading bridges its frames in-process. */
export async function startUserDataDaemon(o: StartUserDataOptions): Promise<UserDataDaemon | null> {
  const wsUrl = userDataWsUrl(o.config);
  if (!o.config.KRAITE_EXCHANGE_URL || !wsUrl) {
    o.logger.info('user-data streams: not started (no KRAITE_EXCHANGE_URL: the embedded paper exchange feeds its frames in-process)');
    return null;
  }
  const credentialsKey = o.config.KRAITE_CREDENTIALS_KEY ? await importCredentialsKey(o.config.KRAITE_CREDENTIALS_KEY) : null;
  const daemon = new UserDataDaemon({
    engine: o.engine, credentialsKey, restUrl: o.config.KRAITE_EXCHANGE_URL, wsUrl, allowlist: o.config.KRAITE_USER_DATA_ALLOWLIST,
    shard: o.shard, logger: o.logger, staggerMs: o.config.KRAITE_USER_DATA_STAGGER_MS, memory: o.memory, onEnqueued: o.onEnqueued,
  });
  await daemon.start();
  return daemon;
}

/** A daemon being started in the background, and how to stop it whether or not it got going. */
export interface BackgroundUserData {
  stop(): Promise<void>;
  /** The daemon's counters; 'failed' when it could not start, 'starting' until it has. */
  status(): DaemonStatus | 'starting' | 'failed' | 'off';
}

/**
 * For a fleet process: starts the daemon when one of its boxes lists `user-data-stream` in the
 * topology (athena; every box with `run --all`), without delaying the process start; a failure to
 * start is logged, never thrown into the process.
 */
export function startUserDataForBoxes(o: Omit<StartUserDataOptions, 'shard'> & { topology: Topology; boxes: readonly string[] }): BackgroundUserData | null {
  if (!o.topology.boxes.some((b) => o.boxes.includes(b.name) && b.daemons.includes('user-data-stream'))) return null;
  let state: UserDataDaemon | 'starting' | 'failed' | 'off' = 'starting';
  const starting = startUserDataDaemon(o).then((d) => {
    state = d ?? 'off';
    return d;
  }, (error: unknown) => {
    state = 'failed';
    o.logger.error('user-data streams could not start', { error });
    return null;
  });
  return {
    status: () => (typeof state === 'string' ? state : state.status()),
    async stop() {
      await (await starting)?.stop();
    },
  };
}
