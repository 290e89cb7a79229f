// Errors with stable codes that tell the engine what to do next: retry, throttle, reconcile or give up.

/** What the engine does with an error. */
export type Disposition = 'retry' | 'throttle' | 'reconcile' | 'final';

/** Base class: a stable string code plus the disposition the engine acts on. */
export class KraiteError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly disposition: Disposition,
    /** For throttle: how long to wait before the next try. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Never retry: the step fails at once. */
export class NonRetriableError extends KraiteError {
  constructor(message: string, code = 'NON_RETRIABLE', options?: { cause?: unknown }) {
    super(code, message, 'final', undefined, options);
  }
}

/** Wait `ms` and try again without spending an attempt. */
export class ThrottledError extends KraiteError {
  constructor(ms: number, message = `throttled for ${ms} ms`, code = 'THROTTLED') {
    super(code, message, 'throttle', ms);
  }
}

/** Bad input (config, CLI arguments, HTTP bodies, payloads): names what is wrong. */
export class ValidationError extends KraiteError {
  constructor(message: string, code = 'VALIDATION') {
    super(code, message, 'final');
  }
}

/** The disposition of any thrown value: unknown errors are retried. */
export function dispositionOf(error: unknown): Disposition {
  return error instanceof KraiteError ? error.disposition : 'retry';
}
