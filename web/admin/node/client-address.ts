// The client's address on Node: the socket's peer, or nginx's X-Real-IP when the peer is the local
// proxy (a header from anyone else is ignored, so it cannot dodge the login rate limit).
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Reads the client address of a request served by @hono/node-server. */
export function nodeClientAddress(c: Context): string | null {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    return null;
  }
  if (peer && LOOPBACK.has(peer)) return c.req.header('x-real-ip')?.trim() || peer;
  return peer ?? null;
}
