import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HostError } from './host-error';
import type { Logger } from './logger';

export interface HostCertificate {
  cert: string;
  key: string;
  /** SHA-256 fingerprint, colon-separated hex, as browsers and the invite link show it. */
  fingerprint: string;
  /** When it stops being valid. */
  validTo: Date;
  /** Made by the host (renewed by it) or given with --cert/--key (the owner renews it). */
  own: boolean;
}

export interface CertificateOptions {
  dataDir: string;
  /** IP addresses and DNS names the certificate names (a browser checks them against the address bar). */
  addresses: string[];
  names: string[];
  /** A certificate the people's devices already trust, instead of the host's own (--cert, --key). */
  certFile?: string;
  keyFile?: string;
  now?: () => Date;
}

/** The host renews its own certificate this long before it expires. */
export const RENEW_BEFORE_MS = 30 * 24 * 60 * 60_000;
/** How long a certificate the host makes is valid. */
const VALID_FOR_MS = 5 * 365 * 24 * 60 * 60_000;
const CERT_FILE = 'host-cert.pem';
const KEY_FILE = 'host-key.pem';

/**
 * The host's HTTPS certificate. Invite links pin its fingerprint, so it is
 * kept in the data directory and never replaced silently: a missing
 * certificate is made again with the kept key, a missing key (which no
 * certificate can do without) gets a new pair with the old certificate kept
 * aside, and a certificate about to expire is renewed with the same key; each
 * time the host says so, with the new fingerprint invite links now carry.
 * A certificate given with --cert/--key is served as it is (the host only
 * warns when it is expired or about to be).
 */
export async function loadOrCreateCertificate(
  options: CertificateOptions,
  log: Logger,
): Promise<HostCertificate> {
  const now = options.now ?? (() => new Date());
  if (options.certFile || options.keyFile) return loadGiven(options, now(), log);
  const certPath = join(options.dataDir, CERT_FILE);
  const keyPath = join(options.dataDir, KEY_FILE);
  const hasCert = existsSync(certPath);
  const hasKey = existsSync(keyPath);
  if (!hasCert && !hasKey) {
    const made = await makeCertificate(options, now(), undefined);
    await store(options.dataDir, made);
    return made;
  }
  if (!hasKey) {
    const aside = `${certPath}.without-key-${stamp(now())}`;
    await rename(certPath, aside);
    const made = await makeCertificate(options, now(), undefined);
    await store(options.dataDir, made);
    log.warn(
      { keptAside: aside, fingerprint: made.fingerprint },
      `the certificate's key (${keyPath}) is missing, so the certificate cannot be used: a new key and certificate were made ` +
        `(the old certificate is kept at ${aside}). Invite links now carry the new fingerprint ${made.fingerprint}`,
    );
    return made;
  }
  const key = await readFile(keyPath, 'utf8');
  const current = hasCert ? parse(await readFile(certPath, 'utf8'), key) : undefined;
  if (current?.matches && current.validTo.getTime() - now().getTime() > RENEW_BEFORE_MS)
    return {
      cert: current.pem,
      key,
      fingerprint: current.fingerprint,
      validTo: current.validTo,
      own: true,
    };
  const made = await makeCertificate(options, now(), key);
  await store(options.dataDir, made);
  const why = !current
    ? 'the certificate was missing'
    : !current.matches
      ? 'the certificate did not match its key'
      : current.validTo <= now()
        ? `the certificate expired on ${current.validTo.toISOString()}`
        : `the certificate expires on ${current.validTo.toISOString()}`;
  log.warn(
    { fingerprint: made.fingerprint, previous: current?.fingerprint },
    `${why}: a new one was made with the same key. Invite links now carry the new fingerprint ${made.fingerprint}` +
      (current ? ` (was ${current.fingerprint})` : ''),
  );
  return made;
}

/** Whether `certificate` should be renewed (or, when not the host's own, warned about) at `now`. */
export function dueForRenewal(certificate: HostCertificate, now: Date): boolean {
  return certificate.validTo.getTime() - now.getTime() <= RENEW_BEFORE_MS;
}

async function loadGiven(
  options: CertificateOptions,
  now: Date,
  log: Logger,
): Promise<HostCertificate> {
  if (!options.certFile || !options.keyFile)
    throw new HostError('invalid_request', '--cert and --key go together: give both files');
  let pem: string, key: string;
  try {
    [pem, key] = await Promise.all([
      readFile(options.certFile, 'utf8'),
      readFile(options.keyFile, 'utf8'),
    ]);
  } catch (error) {
    throw new HostError(
      'invalid_request',
      `cannot read the certificate: ${(error as Error).message}`,
    );
  }
  const given = parse(pem, key);
  if (!given)
    throw new HostError('invalid_request', `${options.certFile} is not a PEM certificate`);
  if (!given.matches)
    throw new HostError(
      'invalid_request',
      `${options.keyFile} is not the key of ${options.certFile}`,
    );
  const certificate = {
    cert: pem,
    key,
    fingerprint: given.fingerprint,
    validTo: given.validTo,
    own: false,
  };
  if (dueForRenewal(certificate, now))
    log.warn(
      { validTo: given.validTo },
      `the certificate ${options.certFile} ${given.validTo <= now ? 'expired' : 'expires'} on ${given.validTo.toISOString()}: ` +
        'browsers will warn about it; renew it and restart the host',
    );
  return certificate;
}

function parse(pem: string, key: string) {
  try {
    const x509 = new X509Certificate(pem);
    let matches = false;
    try {
      matches = x509.checkPrivateKey(createPrivateKey(key));
    } catch {
      // An unreadable key matches nothing.
    }
    return { pem, fingerprint: x509.fingerprint256, validTo: new Date(x509.validTo), matches };
  } catch {
    return undefined;
  }
}

async function makeCertificate(
  options: CertificateOptions,
  now: Date,
  key: string | undefined,
): Promise<HostCertificate> {
  // Loaded only to make a certificate: its X.509 library is ~150 modules, ~10 MB kept in memory.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'Roundtable host' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + VALID_FOR_MS),
    ...(key
      ? {
          keyPair: {
            privateKey: key,
            publicKey: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString(),
          },
        }
      : {}),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...['localhost', ...options.names].map((value) => ({ type: 2 as const, value })),
          ...options.addresses.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  const x509 = new X509Certificate(pems.cert);
  return {
    cert: pems.cert,
    key: key ?? pems.private,
    fingerprint: x509.fingerprint256,
    validTo: new Date(x509.validTo),
    own: true,
  };
}

async function store(dataDir: string, certificate: HostCertificate): Promise<void> {
  await writeFile(join(dataDir, KEY_FILE), certificate.key, { mode: 0o600 });
  await writeFile(join(dataDir, CERT_FILE), certificate.cert, { mode: 0o600 });
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}
