// The client's address on Node: the socket's peer, or the X-Real-IP header when (and only when) the
// peer is one of the configured proxies (KRAITE_TRUSTED_PROXIES; the docs' nginx snippet sets the
// header). Anyone else's header is ignored, so it can neither dodge the login throttle nor forge
// the audit log's address; with no proxy configured, no header is ever read.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Which peers may name the client. */
export interface ClientAddressOptions {
  /** Proxy addresses (exact IPv4 or IPv6) whose X-Real-IP is believed; empty: none. */
  trustedProxies: readonly string[];
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are one peer. */
function normalize(address: string): string {
  const lower = address.trim().toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

/** An address-shaped header value (IPv4 or IPv6 characters only), else null. */
function addressIn(header: string | undefined): string | null {
  const value = header?.trim();
  return value && value.length <= 45 && /^[0-9a-fA-F:.]+$/.test(value) ? normalize(value) : null;
}

/** Reads the client address of a request served by @hono/node-server. */
export function nodeClientAddress(options: ClientAddressOptions): (c: Context) => string | null {
  const trusted = new Set(options.trustedProxies.map(normalize));
  return (c) => {
    let peer: string | undefined;
    try {
      peer = getConnInfo(c).remote.address;
    } catch {
      return null;
    }
    if (!peer) return null;
    const address = normalize(peer);
    return trusted.has(address) ? addressIn(c.req.header('x-real-ip')) ?? address : address;
  };
}
