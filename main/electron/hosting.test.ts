import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, onTestFinished, test } from 'vitest';
import { joinAsGuest, requestAccess } from '../../testing/host';
import { processTree } from '../../testing/processes';
import { enter } from '../../testing/room-member';
import { waitFor } from '../../testing/wait';
import type { HostConfig } from '../host/config';
import { createLogger } from '../host/logger';
import { HostingController } from './hosting';
import { parseDeepLink } from './deep-link';
import { knockNotice } from './knock-notice';
import type { Knock } from '../../shared/protocol/moderation';

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
  onTestFinished(() => hosting.stop());
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

test('a host that can no longer start media workers is restarted quietly: clients are not told the meeting ended', async () => {
  // A worker binary that disappears: the running worker is killed and no replacement can start.
  const binDir = mkdtempSync(join(tmpdir(), 'rt-hosting-worker-'));
  const workerBin = join(binDir, 'mediasoup-worker');
  copyFileSync(process.env.MEDIASOUP_WORKER_BIN!, workerBin);
  const hosting = new HostingController(
    () => ({ ...config(), workerBin, insecureHttp: true }),
    createLogger('silent'),
  );
  try {
    const info = await hosting.start();
    const origin = new URL(info.inviteUrl).origin;
    const link = new URL(info.inviteUrl.replace('#/join?', '?')).searchParams;
    const hub = { id: link.get('hub')!, inviteSecret: link.get('invite')! };
    const host = { origin, wsUrl: `${origin.replace(/^http/, 'ws')}/-/ws`, hub };
    const guest = await joinAsGuest(host, 'Patient');
    await requestAccess(guest.socket, 'd');
    const told: string[] = [];
    guest.socket.on('downstream-room-closed', ({ reason }) => told.push(reason));
    const closed = new Promise<number | undefined>((resolve) =>
      guest.socket.onClose((event) => resolve(event?.code)),
    );

    const [workerPid] = processTree(process.pid).filter((pid) =>
      readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(workerBin),
    );
    rmSync(workerBin);
    process.kill(workerPid!, 'SIGKILL');
    expect(await closed).toBe(1012);
    // Only "rejoin" words reached the client, never an ending.
    expect(told.every((reason) => reason === 'media_restarted')).toBe(true);
    await waitFor(
      () => hosting.info(),
      (current) => current === null,
      { what: 'the failed host stopped', timeoutMs: 30_000 },
    );
    copyFileSync(process.env.MEDIASOUP_WORKER_BIN!, workerBin);
    await waitFor(
      () => hosting.info(),
      (current) => current !== null,
      { what: 'hosting started again', timeoutMs: 30_000 },
    );
  } finally {
    await hosting.stop();
    rmSync(binDir, { recursive: true, force: true });
  }
});

test('the app hears of knocks at its meeting, and shows the new link after an admin rotates the invite', async () => {
  const knocks: Knock[] = [];
  const hosting = new HostingController(
    () => ({ ...config(), insecureHttp: true }),
    createLogger('silent'),
    (knock) => knocks.push(knock),
  );
  try {
    const info = await hosting.start();
    const origin = new URL(info.inviteUrl).origin;
    const link = new URL(info.ownerUrl.replace('#/join?', '?')).searchParams;
    const owner = await joinAsGuest(
      {
        origin,
        wsUrl: `${origin.replace(/^http/, 'ws')}/-/ws`,
        hub: { id: link.get('hub')!, inviteSecret: link.get('invite')! },
      },
      'Olive',
    );
    await enter(owner);
    await owner.socket.request('upstream-room-settings', { locked: true });
    const { share_invite } = await owner.services.call('hub.rotate_invite', {
      hub_id: link.get('hub')!,
    });
    await waitFor(
      () => hosting.info()?.inviteUrl,
      (url) => url?.includes(`invite=${encodeURIComponent(share_invite)}`) ?? false,
      { what: 'the panel showing the new invite' },
    );
    expect(hosting.info()!.qrDataUrl).not.toBe(info.qrDataUrl);

    const ben = await joinAsGuest(
      {
        origin,
        wsUrl: `${origin.replace(/^http/, 'ws')}/-/ws`,
        hub: { id: link.get('hub')!, inviteSecret: share_invite },
      },
      'Ben',
    );
    const waiting = await ben.socket.request('upstream-request-access', { deviceId: 'd' });
    expect('knock_id' in waiting).toBe(true);
    expect(knocks).toMatchObject([{ display_name: 'Ben', invited: true }]);
    expect(knockNotice(knocks[0]!).title).toBe('Ben wants to join');
  } finally {
    await hosting.stop();
  }
});
