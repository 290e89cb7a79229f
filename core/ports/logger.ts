// A tiny structured logger port; adapters decide where lines go.
import { safeFields, scrubText } from './log-fields.ts';

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** Leveled structured logging. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes one JSON line per entry through `write` (console by default); fields go through safeFields. */
export function jsonLogger(options: { level?: Level; base?: LogFields; write?: (line: string) => void } = {}): Logger {
  const min = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => console.log(line));
  const base = options.base ?? {};
  const at = (level: Level) => (msg: string, fields?: LogFields) => {
    if (RANK[level] < min) return;
    write(JSON.stringify({ t: new Date().toISOString(), level, msg: scrubText(msg), ...safeFields({ ...base, ...fields }) }));
  };
  return {
    debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'),
    child: (fields) => jsonLogger({ ...options, base: { ...base, ...fields } }),
  };
}

/** Discards everything (tests). */
export const silentLogger: Logger = {
  debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger,
};
