import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { expect, test } from 'vitest';
import { startTestHost } from '../../testing/host';

// The data directory holds every secret of the host: only its user may read it.

const modeOf = (path: string) => statSync(path).mode & 0o777;

function modes(dir: string) {
  return {
    dir: modeOf(dir),
    files: Object.fromEntries(readdirSync(dir).map((name) => [name, modeOf(join(dir, name))])),
  };
}

test('a new data directory is 0700 and every file in it 0600 (folders 0700), TLS key and database included', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'roundtable-modes-')), 'data');
  const host = await startTestHost({ dataDir, insecureHttp: false });
  const seen = modes(dataDir);
  await host.dispose();
  expect(seen.dir).toBe(0o700);
  expect(Object.keys(seen.files)).toEqual(
    expect.arrayContaining(['roundtable.db', 'host-key.pem', 'host-cert.pem']),
  );
  // The recordings folder holds what people said: as private as the rest.
  expect(seen.files.recordings).toBe(0o700);
  for (const [name, mode] of Object.entries(seen.files))
    if (name !== 'recordings') expect(mode, name).toBe(0o600);
});

test('a host started on a directory others can read tightens it and says so', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-loose-'));
  chmodSync(dataDir, 0o755);
  mkdirSync(join(dataDir, 'logs'));
  writeFileSync(join(dataDir, 'notes.txt'), 'left here by someone', { mode: 0o644 });
  const warnings: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
  const host = await startTestHost({ dataDir }, log);
  const seen = modes(dataDir);
  await host.dispose();
  expect(seen.dir).toBe(0o700);
  expect(seen.files['notes.txt']).toBe(0o600);
  expect(seen.files['logs']).toBe(0o700);
  expect(seen.files['roundtable.db']).toBe(0o600);
  expect(JSON.stringify(warnings)).toMatch(/readable by others.*0700/);
  expect(JSON.stringify(warnings)).toContain('notes.txt');
});
