// Deterministic client order ids: the same (position, role, rung) always yields the same id, so
// a retried or re-run step finds its earlier order instead of placing a second one. Attempts
// never enter the id; only a deliberate re-placement (a new order replacing a dead one) does.

/** Binance's rule for newClientOrderId and clientAlgoId. */
export const CLIENT_ORDER_ID_PATTERN = /^[.A-Z:/a-z0-9_-]{1,36}$/;
/** Binance's length limit. */
export const CLIENT_ORDER_ID_MAX = 36;

/** What an order is for within its position. */
export type OrderRole = 'entry' | 'rung' | 'stop' | 'profit' | 'close';

const ROLE_TAG: Record<OrderRole, string> = { entry: 'en', rung: 'dca', stop: 'sl', profit: 'tp', close: 'cl' };
const TAG_ROLE = new Map(Object.entries(ROLE_TAG).map(([role, tag]) => [tag, role as OrderRole]));

/** The parts a client order id is built from. */
export interface ClientOrderIdParts {
  positionId: string | number;
  role: OrderRole;
  /** Rung number for DCA limits (1..N); omitted for the other roles. */
  rung?: number;
  /** Bumped only when a dead order is deliberately replaced by a new one; 0/undefined = the original. */
  replacement?: number;
  /** Namespace, so our ids never collide with manual or exchange-generated ones. */
  prefix?: string;
}

/** 64-bit FNV-1a in base 36: a short, stable stand-in for position ids that do not fit. */
function shortHash(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(36);
}

/** Builds `k-<position>-<role><rung>[-r<n>]`, within 36 chars of [.A-Z:/a-z0-9_-]. */
export function clientOrderId(parts: ClientOrderIdParts): string {
  const prefix = parts.prefix ?? 'k';
  if (!/^[A-Za-z0-9]{1,4}$/.test(prefix)) throw new RangeError(`client order id prefix must be 1-4 alphanumerics: ${prefix}`);
  if (parts.role === 'rung' && !(Number.isInteger(parts.rung) && parts.rung! >= 1)) throw new RangeError('a rung order needs rung >= 1');
  if (parts.role !== 'rung' && parts.rung !== undefined) throw new RangeError(`role ${parts.role} takes no rung`);
  const replacement = parts.replacement ?? 0;
  if (!Number.isInteger(replacement) || replacement < 0) throw new RangeError('replacement must be a non-negative integer');
  const tail = `${ROLE_TAG[parts.role]}${parts.role === 'rung' ? parts.rung : ''}${replacement ? `-r${replacement}` : ''}`;
  const raw = String(parts.positionId);
  if (raw === '') throw new RangeError('positionId must not be empty');
  const budget = CLIENT_ORDER_ID_MAX - prefix.length - tail.length - 2;
  // Ids that are alphanumeric and fit are kept readable; anything else (uuids, odd characters) is hashed.
  const position = /^[A-Za-z0-9]+$/.test(raw) && raw.length <= budget ? raw : `h${shortHash(raw)}`;
  const id = `${prefix}-${position}-${tail}`;
  if (!CLIENT_ORDER_ID_PATTERN.test(id)) throw new RangeError(`client order id does not fit Binance's rule: ${id}`);
  return id;
}

/** What a client order id of ours says, or null for foreign ids (manual, liquidation "autoclose-…"). */
export interface ParsedClientOrderId {
  prefix: string;
  /** The position id as written, or `h<hash>` when it was hashed. */
  positionToken: string;
  role: OrderRole;
  rung?: number;
  replacement: number;
}

/** Reads an id built by clientOrderId; null when it is not one of ours. */
export function parseClientOrderId(id: string, prefix = 'k'): ParsedClientOrderId | null {
  const m = /^([A-Za-z0-9]{1,4})-([A-Za-z0-9]+)-(en|dca|sl|tp|cl)(\d*)(?:-r(\d+))?$/.exec(id);
  if (!m || m[1] !== prefix) return null;
  const role = TAG_ROLE.get(m[3]!)!;
  const rung = m[4] ? Number(m[4]) : undefined;
  if ((role === 'rung') !== (rung !== undefined)) return null;
  return { prefix: m[1]!, positionToken: m[2]!, role, ...(rung !== undefined ? { rung } : {}), replacement: m[5] ? Number(m[5]) : 0 };
}
