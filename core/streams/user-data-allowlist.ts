// The configurable allowlist of execution types the user-data daemon enqueues: a comma-separated
// list of tokens, "default" for the spec's list, or "none" for shadow mode (audit only).
import { ValidationError } from '../errors.ts';
import { DEFAULT_ALLOWLIST, KNOWN_EXECUTION_TYPES } from './user-data-frames.ts';

/** Parses an allowlist setting; an unknown token is refused by name with the known ones listed. */
export function parseAllowlist(text: string | undefined, field = 'KRAITE_USER_DATA_ALLOWLIST'): string[] {
  const trimmed = (text ?? '').trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'default') return [...DEFAULT_ALLOWLIST];
  if (trimmed.toLowerCase() === 'none') return [];
  const tokens = [...new Set(trimmed.split(',').map((t) => t.trim().toUpperCase()).filter(Boolean))];
  const unknown = tokens.filter((t) => !KNOWN_EXECUTION_TYPES.includes(t));
  if (unknown.length > 0) {
    throw new ValidationError(`${field}: unknown execution type(s) ${unknown.join(', ')}; known: ${KNOWN_EXECUTION_TYPES.join(', ')} (or "none" for shadow mode)`, 'INVALID_CONFIG');
  }
  return tokens;
}
