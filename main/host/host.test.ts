import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { DownstreamPayloads } from '../../shared/protocol/messages';
import { joinAsGuest, startTestHost, requestAccess } from '../../testing/host';
import { waitFor } from '../../testing/wait';

const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-host-test-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A service call over HTTPS that trusts only `ca`: the host's certificate must verify for 127.0.0.1. */
function httpsCall(
  port: number,
  ca: string,
  service: string,
  body: object,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: `/-/svc/${service}`,
        method: 'POST',
        ca,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ service, ...body }));
  });
}

test('HTTPS with a certificate generated once; hubs, members and rooms survive a restart', async () => {
  const first = await startTestHost({ dataDir, insecureHttp: false });
  expect(first.origin).toMatch(/^https:/);
  const certPem = readFileSync(join(dataDir, 'host-cert.pem'), 'utf8');
  expect(first.fingerprint).toBe(new X509Certificate(certPem).fingerprint256);
  // Readable in the link, as on the host's screen: not percent-encoded.
  expect(first.inviteUrl).toContain(`fp=${first.fingerprint!}`);

  const guest = await httpsCall(first.port, certPem, 'yp.create_guest', {
    hub_id: first.hub.id,
    device_id: 'd',
    fullname: 'Persistent Pat',
    invite: first.hub.inviteSecret,
  });
  expect(guest.status).toBe(200);
  const { auth, user_id: userId } = (guest.json as { data: { auth: string; user_id: string } })
    .data;
  const roomId = first.store.roomIdFor(first.hub.id, 'meeting');
  await first.dispose();

  const second = await startTestHost({ dataDir, insecureHttp: false });
  expect(second.fingerprint).toBe(first.fingerprint);
  // The REST API token is made once and kept with the data.
  expect(first.apiToken.length).toBeGreaterThanOrEqual(32);
  expect(second.apiToken).toBe(first.apiToken);
  expect(second.hub.id).toBe(first.hub.id);
  expect(second.store.authenticate(auth)?.id).toBe(userId);
  expect(second.store.roomIdFor(second.hub.id, 'meeting')).toBe(roomId);
  const members = second.store.membersOf(second.hub.id);
  expect(members).toContainEqual(
    expect.objectContaining({ id: userId, fullname: 'Persistent Pat', privilege: 7, online: '0' }),
  );
  await second.dispose();
});

test('presence: bound, in a meeting, chosen status, offline; pushed live to the hub', async () => {
  const host = await startTestHost();
  try {
    const watcher = await joinAsGuest(host, 'Watcher');
    const pushes: DownstreamPayloads['downstream-presence'][] = [];
    watcher.socket.on('downstream-presence', (payload) => pushes.push(payload));
    const latest = (userId: string) => pushes.filter((p) => p.user_id === userId).at(-1)?.online;

    const mover = await joinAsGuest(host, 'Mover');
    await waitFor(
      () => latest(mover.userId),
      (online) => online === '1',
      { what: 'online push' },
    );

    await requestAccess(mover.socket, 'd');
    await waitFor(
      () => latest(mover.userId),
      (online) => online === '2',
      { what: 'in-meeting push' },
    );
    const byType = (type: 'all' | 'online' | 'offline') =>
      watcher.services.call('hub.get_members_by_type', {
        socket_id: watcher.socket.socketId,
        device_id: 'd',
        hub_id: host.hub.id,
        type,
      });
    expect((await byType('all')).find((m) => m.id === mover.userId)?.online).toBe('2');

    await mover.socket.request('upstream-leave', {});
    await waitFor(
      () => latest(mover.userId),
      (online) => online === '1',
      { what: 'back online' },
    );
    const chosen = await mover.services.call('desk.set_online_status', {
      socket_id: mover.socket.socketId,
      hub_id: mover.userId,
      status: 2,
    });
    expect(chosen).toEqual({ hub_id: mover.userId, user_id: mover.userId, status: 2 });
    await waitFor(
      () => latest(mover.userId),
      (online) => online === '2',
      { what: 'chosen status' },
    );

    // Someone else's socket cannot be used to set a status.
    await expect(
      mover.services.call('desk.set_online_status', {
        socket_id: watcher.socket.socketId,
        hub_id: mover.userId,
        status: 1,
      }),
    ).rejects.toMatchObject({ reason: 'forbidden' });

    mover.socket.close();
    await waitFor(
      () => latest(mover.userId),
      (online) => online === '0',
      { what: 'offline push' },
    );
    expect((await byType('offline')).map((m) => m.id)).toContain(mover.userId);
    expect((await byType('online')).map((m) => m.id)).toEqual([watcher.userId]);
    watcher.socket.close();
  } finally {
    await host.dispose();
  }
});

test('a host stops even while a browser holds a connection it opened ahead of need', async () => {
  const host = await startTestHost();
  // Browsers preconnect: a TCP connection with no request on it, kept for minutes.
  const preconnected = connect(host.port, '127.0.0.1');
  const cut = once(preconnected, 'close');
  await once(preconnected, 'connect');
  // Answered on a later connection, so the host has taken the first one in by now.
  expect((await fetch(`${host.origin}/-/svc/nothing`, { method: 'POST' })).status).toBe(404);
  await host.dispose();
  await cut;
});
