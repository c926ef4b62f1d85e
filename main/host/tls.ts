import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface HostCertificate {
  cert: string;
  key: string;
  /** SHA-256 fingerprint, colon-separated hex, as browsers and the invite link show it. */
  fingerprint: string;
}

/**
 * The host's self-signed certificate, generated on first run and kept in the
 * data directory so its fingerprint stays the same across restarts (an invite
 * link pins it). Browsers on a LAN address need HTTPS for camera access.
 */
export async function loadOrCreateCertificate(
  dataDir: string,
  addresses: string[],
): Promise<HostCertificate> {
  const certPath = join(dataDir, 'host-cert.pem');
  const keyPath = join(dataDir, 'host-key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    // Loaded only to make a certificate (first run): its X.509 library is ~150 modules, ~7 MB kept in memory.
    const { generate } = await import('selfsigned');
    const pems = await generate([{ name: 'commonName', value: 'Roundtable host' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 5 * 365 * 24 * 3600 * 1000),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            ...addresses.map((ip) => ({ type: 7 as const, ip })),
          ],
        },
      ],
    });
    await mkdir(dataDir, { recursive: true });
    await writeFile(keyPath, pems.private, { mode: 0o600 });
    await writeFile(certPath, pems.cert);
  }
  const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  return { cert, key, fingerprint: new X509Certificate(cert).fingerprint256 };
}
