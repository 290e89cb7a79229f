// The Node logger adapter: pino behind the core's Logger port. Fields pass through the core's
// safeFields first (errors with stack and cause, BigInt, cycles, secrets masked), so what pino
// writes is already safe; pino-pretty renders the same lines for a terminal.
import pino from 'pino';
import pretty from 'pino-pretty';
import type { LogFields, Logger } from '../../../core/ports/logger.ts';
import { safeFields, scrubText } from '../../../core/ports/log-fields.ts';

/** JSON lines for machines, pretty lines for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/** What the pino logger needs. */
export interface PinoLoggerOptions {
  level?: 'debug' | 'info' | 'warn' | 'error';
  base?: LogFields;
  format?: LogFormat;
  /** Receives each finished line without its newline (stdout by default). */
  write?: (line: string) => void;
}

function wrap(logger: pino.Logger): Logger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: LogFields) => {
    if (!logger.isLevelEnabled(level)) return;
    logger[level](fields ? safeFields(fields) : {}, scrubText(msg));
  };
  return {
    debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'),
    child: (fields) => wrap(logger.child(safeFields(fields))),
  };
}

/** A core Logger writing through pino, as JSON or prettified. */
export function pinoLogger(options: PinoLoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const format = options.format ?? 'json';
  const render = format === 'pretty'
    ? pretty.prettyFactory({ colorize: pretty.isColorSupported, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
    : null;
  const destination = { write: (line: string) => write((render ? render(line) : line).replace(/\n$/, '')) };
  const logger = pino({
    level: options.level ?? 'info',
    base: options.base ? safeFields(options.base) : null,
    timestamp: pino.stdTimeFunctions.isoTime,
    // JSON readers want the level's name; pino-pretty reads pino's own numbers.
    formatters: format === 'json' ? { level: (label) => ({ level: label }) } : {},
  }, destination);
  return wrap(logger);
}

/** LOG_FORMAT when set; otherwise pretty for a terminal and JSON for a pipe, a file or journald. */
export function chooseLogFormat(forced: LogFormat | undefined, isTty: boolean): LogFormat {
  return forced ?? (isTty ? 'pretty' : 'json');
}
