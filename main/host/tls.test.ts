import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { CertificateKeeper } from './certificate-keeper';
import { HostError } from './host-error';
import { loadOrCreateCertificate, RENEW_BEFORE_MS } from './tls';

// The host's certificate as it finds its data directory: first run, a lost
// key, a lost certificate, one about to expire, one given by its owner, and
// a running host that renews in place. Nothing is ever replaced silently.

const DAY = 24 * 60 * 60_000;
let dataDir: string;
let warnings: string[];
const log = () =>
  pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) });
const options = (extra = {}) => ({
  dataDir,
  addresses: ['127.0.0.1'],
  names: ['alices-laptop.local'],
  ...extra,
});
const certPath = () => join(dataDir, 'host-cert.pem');
const keyPath = () => join(dataDir, 'host-key.pem');

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'rt-tls-'));
  warnings = [];
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

test('made on first run, then the same certificate every start', async () => {
  const first = await loadOrCreateCertificate(options(), log());
  expect(first.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  expect(first.own).toBe(true);
  const again = await loadOrCreateCertificate(options(), log());
  expect(again.fingerprint).toBe(first.fingerprint);
  expect(warnings).toEqual([]);
  expect(readFileSync(certPath(), 'utf8')).toContain('BEGIN CERTIFICATE');
});

test('a lost key: a new pair, the old certificate kept aside, and the new fingerprint said', async () => {
  const first = await loadOrCreateCertificate(options(), log());
  rmSync(keyPath());
  const next = await loadOrCreateCertificate(options(), log());
  expect(next.fingerprint).not.toBe(first.fingerprint);
  expect(readdirSync(dataDir).some((name) => name.startsWith('host-cert.pem.without-key-'))).toBe(
    true,
  );
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(`new fingerprint ${next.fingerprint}`);
});

test('a lost certificate is made again with the kept key', async () => {
  const first = await loadOrCreateCertificate(options(), log());
  const key = readFileSync(keyPath(), 'utf8');
  rmSync(certPath());
  const next = await loadOrCreateCertificate(options(), log());
  expect(readFileSync(keyPath(), 'utf8')).toBe(key);
  expect(next.key).toBe(key);
  expect(next.fingerprint).not.toBe(first.fingerprint);
  expect(warnings[0]).toMatch(/^the certificate was missing: a new one was made with the same key/);
});

test('renewed with the same key before it expires, and after', async () => {
  const first = await loadOrCreateCertificate(options(), log());
  const soon = () => new Date(first.validTo.getTime() - RENEW_BEFORE_MS + DAY);
  const renewed = await loadOrCreateCertificate(options({ now: soon }), log());
  expect(renewed.key).toBe(first.key);
  expect(renewed.fingerprint).not.toBe(first.fingerprint);
  expect(renewed.validTo.getTime()).toBeGreaterThan(first.validTo.getTime());
  expect(warnings[0]).toContain(`the certificate expires on ${first.validTo.toISOString()}`);
  expect(warnings[0]).toContain(`(was ${first.fingerprint})`);

  const late = () => new Date(renewed.validTo.getTime() + DAY);
  await loadOrCreateCertificate(options({ now: late }), log());
  expect(warnings[1]).toContain('expired on');
});

test('a certificate given with --cert/--key is served as it is, and warned about near its end', async () => {
  // Someone else's certificate: made elsewhere, in its own folder.
  const elsewhere = mkdtempSync(join(tmpdir(), 'rt-tls-given-'));
  const theirs = await loadOrCreateCertificate({ ...options(), dataDir: elsewhere }, log());
  const certFile = join(elsewhere, 'host-cert.pem');
  const keyFile = join(elsewhere, 'host-key.pem');
  try {
    const given = await loadOrCreateCertificate(options({ certFile, keyFile }), log());
    expect(given).toMatchObject({ fingerprint: theirs.fingerprint, own: false });
    expect(existsSync(certPath())).toBe(false);

    const late = () => new Date(theirs.validTo.getTime() + DAY);
    const expired = await loadOrCreateCertificate(options({ certFile, keyFile, now: late }), log());
    expect(expired.fingerprint).toBe(theirs.fingerprint);
    expect(warnings[0]).toMatch(/expired on .*renew it and restart the host/);

    const other = await loadOrCreateCertificate(options(), log());
    writeFileSync(join(elsewhere, 'wrong-key.pem'), other.key);
    for (const wrong of [
      { certFile, keyFile: join(elsewhere, 'wrong-key.pem') },
      { certFile },
      { certFile: join(elsewhere, 'nope.pem'), keyFile },
      { certFile: keyFile, keyFile },
    ])
      await expect(loadOrCreateCertificate(options(wrong), log())).rejects.toBeInstanceOf(
        HostError,
      );
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('a running host renews in place: new connections get the new certificate', async () => {
  const keeper = await CertificateKeeper.load(options(), log());
  const { cert, key, fingerprint } = keeper.current;
  const server = createServer({ cert, key }, (_request, response) => response.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const served = () =>
    new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
        resolve(socket.getPeerCertificate().fingerprint256);
        socket.end();
      }).on('error', reject);
    });
  try {
    keeper.watch(server);
    expect(await served()).toBe(fingerprint);
    await keeper.check(new Date(keeper.current.validTo.getTime() - DAY));
    expect(keeper.current.fingerprint).not.toBe(fingerprint);
    expect(await served()).toBe(keeper.current.fingerprint);
  } finally {
    keeper.stop();
    server.close();
  }
});
