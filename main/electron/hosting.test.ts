import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { HostConfig } from '../host/config';
import { createLogger } from '../host/logger';
import { HostingController } from './hosting';
import { parseDeepLink } from './deep-link';

const dataDir = mkdtempSync(join(tmpdir(), 'rt-hosting-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const config = (): HostConfig => ({
  port: 0,
  listenIp: '127.0.0.1',
  dataDir,
  announcedIps: ['127.0.0.1'],
  workers: 1,
  rtcPort: 0,
  insecureHttp: false,
  workerBin: process.env.MEDIASOUP_WORKER_BIN || undefined,
  webClientDir: undefined,
  logLevel: 'silent',
  apiToken: undefined,
  peersPerRouter: 40,
});

test('hosting from the app starts the real host once, with invite, deep link and QR, and stops it', async () => {
  const hosting = new HostingController(config, createLogger('silent'));
  expect(hosting.info()).toBeNull();
  const [info, again] = await Promise.all([hosting.start(), hosting.start()]);
  expect(again).toBe(info);
  expect(info.inviteUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/#\/join\?hub=\w+&invite=/);
  expect(info.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  expect(parseDeepLink(info.deepLink)?.inviteUrl).toBe(info.inviteUrl);
  expect(info.qrDataUrl).toMatch(/^data:image\/png;base64,/);
  // The pinned certificate verifies, and the host answers.
  const port = Number(new URL(info.inviteUrl).port);
  expect(await statusOf(port)).toBe(401);

  await hosting.stop();
  expect(hosting.info()).toBeNull();
  await expect(statusOf(port)).rejects.toThrow(/ECONNREFUSED/);
});

/** HTTP status of a REST call over HTTPS trusting only the host's own certificate. */
function statusOf(port: number): Promise<number> {
  const ca = readFileSync(join(dataDir, 'host-cert.pem'), 'utf8');
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/rooms/x/stats', ca, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    })
      .on('error', reject)
      .end();
  });
}
