import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Structured logs (pino, as Fastify uses); `destination` lets the desktop app write to a file. */
export function createLogger(level: string, destination?: string): Logger {
  return pino({ level, base: undefined }, destination ? pino.destination(destination) : undefined);
}
