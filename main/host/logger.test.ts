import { expect, test } from 'vitest';
import { pino } from 'pino';
import { journalLines } from './logger';

test('under systemd, log lines read as sentences with a syslog priority the journal understands', () => {
  const lines: string[] = [];
  const log = pino(
    { level: 'info', base: undefined },
    journalLines({ write: (text: string) => lines.push(text) }),
  );
  log.info('Roundtable is hosting');
  log.warn({ path: '/var/lib/roundtable/host.lock', pid: 42 }, 'took over a stale lock');
  log.error({ err: new Error('disk full') }, 'could not store presence');
  expect(lines[0]).toBe('<6>Roundtable is hosting\n');
  expect(lines[1]).toBe('<4>took over a stale lock path=/var/lib/roundtable/host.lock pid=42\n');
  expect(lines[2]).toMatch(/^<3>could not store presence error="disk full" \(at .+\)\n$/);
});
