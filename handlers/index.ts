// Every handler the fleet can run, registered by name in one typed registry.
import { HandlerRegistry } from '../core/steps/registry.ts';
import { noopHandler } from './system/noop.handler.ts';

/** All handler definitions. */
export const allHandlers = [noopHandler];

/** A registry holding every handler. */
export function createRegistry(): HandlerRegistry {
  return new HandlerRegistry(allHandlers);
}
