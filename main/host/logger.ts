import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/**
 * Structured logs (pino, as Fastify uses); `destination` lets the desktop
 * app write to a file. Under systemd (stdout connected to the journal, which
 * sets JOURNAL_STREAM) the lines are written for people instead of as JSON:
 * see journalLines.
 */
export function createLogger(
  level: string,
  destination?: string,
  env: NodeJS.ProcessEnv = process.env,
): Logger {
  if (destination) return pino({ level, base: undefined }, pino.destination(destination));
  if (env.JOURNAL_STREAM) return pino({ level, base: undefined }, journalLines(process.stdout));
  return pino({ level, base: undefined });
}

/** pino's numeric levels as syslog priorities (journalctl colours and filters by them: -p warning). */
const PRIORITY: Record<number, number> = { 10: 7, 20: 7, 30: 6, 40: 4, 50: 3, 60: 2 };

/**
 * Log lines as the journal reads them: the syslog priority as a `<N>` prefix
 * (systemd turns it into the entry's priority), then the message, then the
 * other fields as key=value; an error's message and the first line of its
 * stack. The journal adds the time and the unit, so neither is repeated.
 */
export function journalLines(out: { write(text: string): unknown }): DestinationStream {
  return {
    write(line: string) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      const { level, time: _time, msg, err, ...fields } = entry;
      const parts = [`<${PRIORITY[level as number] ?? 6}>${String(msg ?? '')}`];
      for (const [key, value] of Object.entries(fields))
        parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
      if (err && typeof err === 'object') {
        const { message, stack } = err as { message?: string; stack?: string };
        parts.push(`error=${JSON.stringify(message ?? '')}`);
        const where = stack?.split('\n')[1]?.trim();
        if (where) parts.push(`(${where})`);
      }
      out.write(`${parts.join(' ')}\n`);
    },
  };
}
