// Awaits a promise that must reject with an ExchangeError and returns that error.
import { ExchangeError } from '../../core/exchange/exchange-errors.ts';

/** The ExchangeError `promise` rejects with; anything else (or no rejection) fails the test. */
export async function caught(promise: Promise<unknown>): Promise<ExchangeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExchangeError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
