// The store a CLI command reads and writes: the running fleet's own when the command runs inside it
// (sent through the control endpoint), otherwise the shared MySQL store of DATABASE_URL.
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { openStore } from '../runtime/backends.ts';
import type { CliIo } from './command.ts';

/** Opens the command's store; closing a borrowed fleet store leaves it open for the fleet. */
export async function cliStore(io: CliIo): Promise<StepStore> {
  const own = io.store;
  if (!own) return openStore(io.env);
  return new Proxy(own, {
    get(target, prop) {
      if (prop === 'close') return async () => {};
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
