import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createLogger } from '../host/logger';
import { loadOrCreateCertificate } from '../host/tls';
import { TrustedOrigins } from './trust';

test('a pinned host certificate is trusted exactly; unpinned hosts get normal verification', async () => {
  const log = createLogger('silent');
  const certificate = (dir: string) =>
    loadOrCreateCertificate(
      { dataDir: mkdtempSync(join(tmpdir(), dir)), addresses: ['10.0.0.2'], names: [] },
      log,
    );
  const host = await certificate('rt-pin-a-');
  const other = await certificate('rt-pin-b-');
  const trust = new TrustedOrigins('app://roundtable');
  expect(trust.verifyCertificate('10.0.0.2', host.cert)).toBe(-3);
  trust.addHost('https://10.0.0.2:8443', host.fingerprint.toLowerCase());
  expect(trust.verifyCertificate('10.0.0.2', host.cert)).toBe(0);
  // Someone else's self-signed certificate on the same address is rejected.
  expect(trust.verifyCertificate('10.0.0.2', other.cert)).toBe(-2);
  expect(trust.verifyCertificate('10.0.0.3', host.cert)).toBe(-3);
});

test('navigation and permissions only for our pages and the hosts we joined', () => {
  const trust = new TrustedOrigins('app://roundtable');
  trust.addHost('https://10.0.0.2:8443', null);
  expect(trust.isTrusted('app://roundtable/index.html')).toBe(true);
  expect(trust.isTrusted('https://10.0.0.2:8443/#/join?hub=a')).toBe(true);
  expect(trust.isTrusted('https://10.0.0.2:9443/')).toBe(false);
  expect(trust.isTrusted('https://example.com/')).toBe(false);
  expect(trust.isTrusted('garbage')).toBe(false);
  for (const permission of ['media', 'display-capture']) {
    expect(trust.allowsPermission(permission, 'https://10.0.0.2:8443/')).toBe(true);
    expect(trust.allowsPermission(permission, 'https://example.com/')).toBe(false);
  }
  expect(trust.allowsPermission('geolocation', 'https://10.0.0.2:8443/')).toBe(false);
  expect(trust.allowsPermission('notifications', 'app://roundtable/index.html')).toBe(false);
});
