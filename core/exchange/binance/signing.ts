// HMAC-SHA256 request signing exactly as Binance documents it, on Web Crypto so it runs anywhere.

/** Signs a payload: lowercase hex HMAC-SHA256 under the account's secret. */
export type Signer = (payload: string) => Promise<string>;

const encoder = new TextEncoder();

function hex(buffer: ArrayBuffer): string {
  let out = '';
  for (const byte of new Uint8Array(buffer)) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** A signer that imports the secret once and reuses the key for every request. */
export function hmacSigner(secret: string): Signer {
  let key: Promise<CryptoKey> | undefined;
  return async (payload) => {
    key ??= crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return hex(await crypto.subtle.sign('HMAC', await key, encoder.encode(payload)));
  };
}

/** The signed string: query string and body concatenated with no separator, as Binance defines totalParams. */
export function totalParams(queryString: string, body: string): string {
  return queryString + body;
}

/** Parameter values as Binance takes them; undefined entries are left out. */
export type ParamValue = string | number | boolean | undefined;

/** Encodes params in insertion order as application/x-www-form-urlencoded (the exact bytes we sign and send). */
export function encodeParams(params: Readonly<Record<string, ParamValue>>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}
