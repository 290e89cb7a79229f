// HMAC-SHA256 signature check for the simulator's Node face, on node:crypto with a constant-time compare.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureVerifier } from '../../core/sim/gateway.ts';

/** Verifies Binance's hex signature (case-insensitive) of `payload` under `secret`. */
export const nodeSignatureVerifier: SignatureVerifier = (secret, payload, signature) => {
  const expected = createHmac('sha256', secret).update(payload).digest();
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
};
