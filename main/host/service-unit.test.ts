import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';

// The host box's systemd unit (packaging/): systemd's own checker accepts it
// (with the install path pointed at this checkout, whose node it then finds),
// and it keeps the hardening a LAN service should have.

const UNIT = resolve('packaging/roundtable-host.service');
const available = spawnSync('systemd-analyze', ['--version']).status === 0;

test.skipIf(!available)('systemd-analyze verify accepts the unit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-unit-'));
  try {
    const unit = join(dir, 'roundtable-host.service');
    writeFileSync(unit, readFileSync(UNIT, 'utf8').replaceAll('/opt/roundtable', resolve('.')));
    const run = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8' });
    // Lines about the machine's own units (not ours) are not this test's business.
    const ours = `${run.stdout}${run.stderr}`
      .split('\n')
      .filter((line) => line.includes('roundtable-host.service'));
    expect(ours).toEqual([]);
    expect(run.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the unit runs the host as a throwaway user that can write only its data, and restarts it', () => {
  const settings = new Map(
    readFileSync(UNIT, 'utf8')
      .split('\n')
      .filter((line) => /^\w+=/.test(line))
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  expect(Object.fromEntries(settings)).toMatchObject({
    DynamicUser: 'yes',
    StateDirectory: 'roundtable',
    Environment: 'ROUNDTABLE_DATA_DIR=/var/lib/roundtable',
    NoNewPrivileges: 'yes',
    ProtectSystem: 'strict',
    ProtectHome: 'yes',
    PrivateTmp: 'yes',
    Restart: 'on-failure',
    CapabilityBoundingSet: '',
    UMask: '0077',
  });
  expect(settings.get('ExecStart')).toMatch(
    /node --max-semi-space-size=2 .*dist\/main\/host-cli\.js/,
  );
});
