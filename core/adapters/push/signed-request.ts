// HMAC-SHA256 signatures of step-run requests (Web Crypto): `x-kraite-signature: t=<ms>,v1=<hex>`
// over `<t>.<method> <path>.<body>`, so a captured request cannot be re-aimed at another step or
// replayed after the window. A replay inside the window is harmless: the claim is a conditional write.
const encoder = new TextEncoder();

/** The header that carries the signature. */
export const SIGNATURE_HEADER = 'x-kraite-signature';
/** How far a signature's time may be from ours (default 5 minutes). */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function hmac(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
}

/** The signature header value for a request. */
export async function signRequest(secret: string, method: string, path: string, body: string, now: number): Promise<string> {
  return `t=${now},v1=${await hmac(secret, `${now}.${method.toUpperCase()} ${path}.${body}`)}`;
}

/** Why a signature was refused, or null when it is good. */
export async function verifyRequest(secret: string, header: string | null, method: string, path: string, body: string, now: number, windowMs = SIGNATURE_WINDOW_MS): Promise<string | null> {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return `missing or malformed ${SIGNATURE_HEADER} header`;
  const t = Number(match[1]);
  if (Math.abs(now - t) > windowMs) return 'signature outside the time window';
  const expected = await hmac(secret, `${t}.${method.toUpperCase()} ${path}.${body}`);
  // Constant-time compare: the lengths are fixed (64 hex digits).
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ match[2]!.charCodeAt(i);
  return diff === 0 ? null : 'bad signature';
}
