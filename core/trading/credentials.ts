// API keys and secrets at rest: AES-256-GCM through Web Crypto, so the same code runs on Node and
// in a Worker. The key comes in from the caller (the edge reads KRAITE_CREDENTIALS_KEY); nothing
// here reads the environment, logs, or puts a plaintext or key into an error message.
import { NonRetriableError } from '../errors.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Raised for a bad key, bad ciphertext or a failed decryption; never names the secret. */
export class CredentialsError extends NonRetriableError {
  constructor(message: string) {
    super(message, 'CREDENTIALS');
  }
}

/** Which column a ciphertext belongs to: bound as associated data, so a key and secret cannot be swapped. */
export type SecretField = 'api_key' | 'api_secret';

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

const aad = (field: SecretField) => new TextEncoder().encode(`kraite:accounts.${field}:v1`);

/** Imports a 32-byte base64 key as a non-extractable AES-GCM key. */
export async function importCredentialsKey(base64Key: string): Promise<CryptoKey> {
  const bytes = fromBase64(base64Key.trim());
  if (!bytes || bytes.length !== KEY_BYTES) {
    throw new CredentialsError(`the credentials key must be ${KEY_BYTES} bytes, base64-encoded (got ${bytes ? `${bytes.length} bytes` : 'something that is not base64'})`);
  }
  return crypto.subtle.importKey('raw', bytes, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/** Encrypts one value: base64 of iv (12 bytes) | ciphertext | tag (16 bytes), a fresh random iv each time. */
export async function encryptSecret(key: CryptoKey, plaintext: string, field: SecretField): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(field), tagLength: TAG_BYTES * 8 }, key, new TextEncoder().encode(plaintext)));
  const out = new Uint8Array(IV_BYTES + sealed.length);
  out.set(iv, 0);
  out.set(sealed, IV_BYTES);
  return toBase64(out);
}

/** Decrypts one value; a wrong key, a changed byte or the other field's ciphertext all fail the tag check. */
export async function decryptSecret(key: CryptoKey, stored: string, field: SecretField): Promise<string> {
  const bytes = fromBase64(stored);
  if (!bytes || bytes.length < IV_BYTES + TAG_BYTES) throw new CredentialsError(`${field}: stored value is not AES-GCM ciphertext`);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: aad(field), tagLength: TAG_BYTES * 8 }, key, bytes.subarray(IV_BYTES),
    );
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    throw new CredentialsError(`${field}: cannot decrypt (wrong credentials key, or the ciphertext was altered)`);
  }
}

/** Never more than the last 4 characters, and none of a short value (where 4 would be most of it). */
export function masked(value: string): string {
  return value.length >= 16 ? `****${value.slice(-4)}` : '****';
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Decrypted credentials. Private fields behind getters: spreading, serialising or printing one
 * shows only masked values, so a stray log line leaks nothing.
 */
export class ApiCredentials {
  readonly #apiKey: string;
  readonly #apiSecret: string;
  constructor(apiKey: string, apiSecret: string) {
    this.#apiKey = apiKey;
    this.#apiSecret = apiSecret;
  }
  /** The API key, for the exchange client's header. */
  get apiKey(): string {
    return this.#apiKey;
  }
  /** The API secret, for the exchange client's signer. */
  get apiSecret(): string {
    return this.#apiSecret;
  }
  toJSON(): { apiKey: string; apiSecret: string } {
    return { apiKey: masked(this.apiKey), apiSecret: masked('') };
  }
  toString(): string {
    return `ApiCredentials(${masked(this.apiKey)})`;
  }
  [INSPECT](): string {
    return this.toString();
  }
}

/** The two ciphertext columns of an account. */
export interface EncryptedCredentials {
  apiKeyEnc: string;
  apiSecretEnc: string;
}

/** Encrypts an API key and secret for the accounts row. */
export async function encryptCredentials(key: CryptoKey, apiKey: string, apiSecret: string): Promise<EncryptedCredentials> {
  return { apiKeyEnc: await encryptSecret(key, apiKey, 'api_key'), apiSecretEnc: await encryptSecret(key, apiSecret, 'api_secret') };
}

/** Decrypts an account's credentials, right before the exchange client needs them. */
export async function decryptCredentials(key: CryptoKey, stored: EncryptedCredentials): Promise<ApiCredentials> {
  return new ApiCredentials(await decryptSecret(key, stored.apiKeyEnc, 'api_key'), await decryptSecret(key, stored.apiSecretEnc, 'api_secret'));
}
