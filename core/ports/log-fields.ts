// Makes log fields safe to serialise and safe to ship: errors keep their stack and cause, BigInt
// becomes a string, cycles and deep trees are cut, and secrets are masked wherever they sit.
// Runtime-neutral so every logger adapter (the JSON one here, pino on Node) shares one rule.

/** What a masked value is replaced with. */
export const REDACTED = '[redacted]';

// Field names that carry credentials whatever object they sit in (headers, configs, rows, errors).
const SECRET_KEY = /(api[-_]?key|apikey|secret|passw(or)?d|token|cookie|authori[sz]ation|signature|credential|listen[-_]?key|private[-_]?key|session|csrf|webhook)/i;
// Credentials inside free text: query strings, header dumps, bearer tokens, URLs with a password.
const SECRET_TEXT: readonly [RegExp, string][] = [
  [/\b(signature|api[-_]?key|apikey|secret|passw(?:or)?d|token|listenKey|cookie|_?csrf\w*|session\w*)([=:]\s*)[^&\s,;"']+/gi, `$1$2${REDACTED}`],
  // Telegram puts the bot token in the path, Discord the webhook token.
  [/\/bot\d+:[A-Za-z0-9_-]+/g, `/bot${REDACTED}`],
  [/(\/api\/webhooks\/\d+\/)[A-Za-z0-9_-]+/g, `$1${REDACTED}`],
  [/\b(X-MBX-APIKEY|authorization|cookie|set-cookie)(["']?\s*[:=]\s*["']?)[^"',\n]+/gi, `$1$2${REDACTED}`],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/g, `Bearer ${REDACTED}`],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi, `$1${REDACTED}@`],
];
const MAX_DEPTH = 8;

/** Masks credentials written into free text (an error message, a URL). */
export function scrubText(text: string): string {
  return SECRET_TEXT.reduce((s, [pattern, replacement]) => s.replace(pattern, replacement), text);
}

/** True when a field of this name holds a credential and must never be logged. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

function serialiseError(error: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: scrubText(error.message) };
  if (error.stack) out.stack = scrubText(error.stack);
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause' || key === 'message' || key === 'stack') continue;
    out[key] = isSecretKey(key) ? REDACTED : safeValue(value, seen, depth + 1);
  }
  if (error.cause !== undefined) out.cause = safeValue(error.cause, seen, depth + 1);
  return out;
}

function safeValue(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return scrubText(value);
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (value instanceof Error) return serialiseError(value, seen, depth);
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (Array.isArray(value)) return value.map((v) => safeValue(v, seen, depth + 1));
    if (value instanceof Map) return safeValue(Object.fromEntries(value), seen, depth);
    if (value instanceof Set) return safeValue([...value], seen, depth);
    // Decimal and friends say what they are through toJSON.
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return safeValue((toJSON as () => unknown).call(value), seen, depth + 1);
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = isSecretKey(key) ? REDACTED : safeValue(v, seen, depth + 1);
    return out;
  } finally {
    seen.delete(value);
  }
}

/** Returns a copy of `fields` that JSON.stringify accepts and that holds no credential. */
export function safeFields(fields: Record<string, unknown>): Record<string, unknown> {
  return safeValue(fields, new WeakSet(), 0) as Record<string, unknown>;
}
