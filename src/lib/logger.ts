import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One JSON logger for the process, on stderr so that stdout carries only what a command
 * prints for people and scripts (e.g. a new API key). Level from LOG_LEVEL (default info).
 */
export function createLogger(): Logger {
  const level = process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
  return pino({ level, base: { service: 'recur' } }, pino.destination(2));
}
