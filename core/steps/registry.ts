// One typed registry maps handler names to their argument schema and function. Arguments are
// validated with zod when a step is created, so a bad step never reaches a queue.
import type { z } from 'zod';
import { ValidationError } from '../errors.ts';
import type { HandlerContext, Job } from './context.ts';
import type { HandlerResult } from './effects.ts';
import type { StepSet } from './step.ts';

/** A registered handler: pure `(job, ctx) => effects`. */
export interface HandlerDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  args: S;
  /** Default lane (logical queue) for steps of this handler. */
  lane: string;
  /** Default step set. */
  set?: StepSet;
  maxAttempts?: number;
  backoffMs?: number;
  run(job: Job<z.output<S>>, ctx: HandlerContext): Promise<HandlerResult>;
}

/** Declares a handler with its argument types inferred from the schema. */
export function defineHandler<S extends z.ZodType>(definition: HandlerDefinition<S>): HandlerDefinition<S> {
  return definition;
}

/** The registry of every handler a process can run. */
export class HandlerRegistry {
  private readonly byName = new Map<string, HandlerDefinition>();

  constructor(definitions: readonly HandlerDefinition<any>[] = []) {
    for (const d of definitions) this.register(d);
  }

  /** Adds a handler; names are unique. */
  register(definition: HandlerDefinition<any>): this {
    if (this.byName.has(definition.name)) throw new Error(`handler ${definition.name} registered twice`);
    this.byName.set(definition.name, definition);
    return this;
  }

  /** The handler for `name`, or a ValidationError naming it. */
  get(name: string): HandlerDefinition {
    const d = this.byName.get(name);
    if (!d) throw new ValidationError(`unknown handler "${name}"`, 'UNKNOWN_HANDLER');
    return d;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** Validates arguments for `name`; the error names the bad field. */
  parseArgs(name: string, args: unknown): Record<string, unknown> {
    const parsed = this.get(name).args.safeParse(args ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || '(arguments)';
      throw new ValidationError(`handler ${name}: argument ${field}: ${issue?.message ?? 'invalid'}`, 'INVALID_ARGUMENTS');
    }
    return parsed.data as Record<string, unknown>;
  }
}
