// The logger a process builds from its configuration: pino, pretty at a terminal, JSON otherwise.
import type { LogFields, Logger } from '../../core/ports/logger.ts';
import { chooseLogFormat, pinoLogger } from '../adapters/pino/pino-logger.ts';
import type { KraiteConfig } from './config.ts';

/** A pino logger at LOG_LEVEL in LOG_FORMAT (or the format the stream's terminal-ness suggests). */
export function processLogger(config: Pick<KraiteConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>, base: LogFields, write: (line: string) => void, stream: { isTTY?: boolean } = process.stdout): Logger {
  return pinoLogger({ level: config.LOG_LEVEL, base, write, format: chooseLogFormat(config.LOG_FORMAT, stream.isTTY === true) });
}
