import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, test, type TestContext } from 'vitest';
import { bindSocketToRoom } from '../../shared/client/hub-session';
import { MessageSocket } from '../../shared/client/message-socket';
import { ServiceClient } from '../../shared/client/service-client';
import type { OnlineStatus, ServiceEnvelope } from '../../shared/protocol/services';
import {
  joinAsGuest,
  startTestHost,
  type TestGuest,
  type TestHost,
  requestAccess,
} from '../../testing/host';
import { waitFor } from '../../testing/wait';
import { GUEST_SIGN_UP_LIMITS } from '../signaling/sign-up-limiter';

// Storage faults during a meeting, on the real host with a real worker: the
// data directory's disk fills up, or another process holds the database.
// Either way the host stays up, people already in the meeting can leave and
// come back, a new sign-up is refused with 503 'unavailable', and presence
// reaches storage once storage works again.

/** POSTs a service call from `localAddress` (any 127.x address is this machine). */
function call(
  host: TestHost,
  service: string,
  params: Record<string, unknown>,
  localAddress = '127.0.0.1',
): Promise<{ status: number; body: ServiceEnvelope<string, Record<string, unknown>> }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${host.origin}/-/svc/${service}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, localAddress },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, body: JSON.parse(text) as never }),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ service, ...params }));
  });
}

function signUp(host: TestHost, fullname: string, localAddress?: string) {
  return call(
    host,
    'yp.create_guest',
    {
      hub_id: host.hub.id,
      device_id: `device-${fullname}`,
      fullname,
      invite: host.hub.inviteSecret,
    },
    localAddress,
  );
}

/** A guest joined and in the meeting (access granted: a peer with transports). */
async function joinMeeting(host: TestHost, name: string): Promise<TestGuest> {
  const guest = await joinAsGuest(host, name);
  await guest.socket.request('upstream-request-access', { deviceId: `device-${name}` });
  return guest;
}

/** The same person back with a new socket, as the client does after losing its connection. */
async function rejoin(host: TestHost, guest: TestGuest): Promise<TestGuest> {
  const socket = await MessageSocket.connect(host.wsUrl);
  const room = await bindSocketToRoom(guest.services, {
    socketId: socket.socketId,
    hubId: host.hub.id,
    userId: guest.userId,
    deviceId: 'device-again',
  });
  socket.identity = { user_id: guest.userId, hub_id: host.hub.id, room_id: room.room_id };
  const granted = await requestAccess(socket, 'device-again');
  expect(granted.peer_id).toBeTruthy();
  return { ...guest, socket, room };
}

/** What the host's database holds for each member (not what the member list shows). */
function storedStatuses(host: TestHost): Record<string, OnlineStatus> {
  return Object.fromEntries(
    host.store.membersOf(host.hub.id).map((member) => [member.fullname, member.online]),
  );
}

/** The member list as a member sees it through the service call. */
async function liveStatuses(guest: TestGuest, host: TestHost) {
  const members = await guest.services.call('hub.get_members_by_type', {
    socket_id: guest.socket.socketId,
    device_id: 'device',
    hub_id: host.hub.id,
    type: 'all',
  });
  return Object.fromEntries(members.map((member) => [member.fullname, member.online]));
}

/**
 * The meeting through a storage outage: Ana, Bo and Cai are in the meeting;
 * storage breaks; Ana leaves (her socket closes), Bo leaves the room and
 * rejoins; the host answers throughout; a newcomer cannot sign up (503);
 * storage comes back and the stored presence catches up.
 */
async function meetingThroughOutage(
  host: TestHost,
  outage: { start(): void; end(): void },
): Promise<void> {
  const ana = await joinMeeting(host, 'Ana');
  const bo = await joinMeeting(host, 'Bo');
  const cai = await joinMeeting(host, 'Cai');
  expect(storedStatuses(host)).toEqual({ Ana: '2', Bo: '2', Cai: '2' });

  outage.start();
  // Proof the outage is real: a write fails.
  expect(() => host.store.setSetting('probe', 'x')).toThrow(
    expect.objectContaining({ reason: 'unavailable' }),
  );

  // Ana leaves: the socket-close path used to crash the host here.
  ana.socket.close();
  await waitFor(
    () => liveStatuses(cai, host),
    (live) => live.Ana === '0',
    { what: 'Ana shown offline' },
  );
  // Bo leaves the room, then comes back with a new socket.
  await bo.socket.request('upstream-leave', {});
  bo.socket.close();
  await waitFor(
    () => liveStatuses(cai, host),
    (live) => live.Bo === '0',
    { what: 'Bo shown offline' },
  );
  const boAgain = await rejoin(host, bo);
  expect(await liveStatuses(cai, host)).toEqual({ Ana: '0', Bo: '2', Cai: '2' });
  // Ana comes back too.
  const anaAgain = await rejoin(host, ana);
  await anaAgain.socket.request('upstream-leave', {});
  // Storage has not seen any of it: the writes are waiting.
  expect(storedStatuses(host)).toEqual({ Ana: '2', Bo: '2', Cai: '2' });

  // A newcomer is refused with a clear 503, and nothing of them is stored.
  const refused = await signUp(host, 'Dee');
  expect(refused.status).toBe(503);
  expect(refused.body).toMatchObject({
    __ack__: 'yp.create_guest',
    __status__: 'error',
    data: { reason: 'unavailable' },
  });
  expect(String(refused.body.data.message)).toMatch(/cannot write its data right now/);
  expect(Object.keys(storedStatuses(host))).toEqual(['Ana', 'Bo', 'Cai']);

  outage.end();
  await waitFor(
    () => storedStatuses(host),
    (stored) => stored.Ana === '1' && stored.Bo === '2' && stored.Cai === '2',
    { what: 'stored presence to catch up', timeoutMs: 15_000 },
  );
  expect(await liveStatuses(cai, host)).toEqual({ Ana: '1', Bo: '2', Cai: '2' });
  // And newcomers are welcome again.
  expect((await signUp(host, 'Dee')).status).toBe(200);

  for (const guest of [anaAgain, boAgain, cai]) guest.socket.close();
}

/** Writes `path` until the filesystem refuses, in smaller pieces towards the end. */
function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (const size of [256 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe('the data directory runs out of space', () => {
  let dataDir: string;
  let mounted = false;
  let skipReason = '';
  let host: TestHost | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'roundtable-full-'));
    try {
      // A 2 MiB filesystem of its own: filling it touches nothing else.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dataDir], {
        stdio: 'pipe',
      });
      mounted = true;
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      skipReason = `cannot mount a small tmpfs for a full disk (needs root or CAP_SYS_ADMIN): ${stderr || (error as Error).message}`;
      console.warn(`[storage-faults] skipping the full-disk test: ${skipReason}`);
      return;
    }
    host = await startTestHost({ dataDir });
  });

  afterAll(async () => {
    try {
      await host?.dispose();
    } finally {
      if (mounted) execFileSync('umount', [dataDir]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('the host stays up, people leave and rejoin, sign-ups get 503, presence catches up', async (context: TestContext) => {
    if (!mounted) context.skip(skipReason);
    const filler = join(dataDir, 'filler');
    await meetingThroughOutage(host!, {
      start: () => fillDisk(filler),
      end: () => unlinkSync(filler),
    });
  });

  test('a host restarted on the full disk starts, lets known people in and catches up once space is back', async (context: TestContext) => {
    if (!mounted) context.skip(skipReason);
    const eve = await joinMeeting(host!, 'Eve');
    eve.socket.close();
    await host!.dispose();
    host = undefined;
    // Closed cleanly, so the database's shared-memory file is gone: WAL cannot recreate it now.
    const filler = join(dataDir, 'filler');
    fillDisk(filler);
    host = await startTestHost({ dataDir });
    const services = new ServiceClient(host.origin);
    services.auth = eve.services.auth;
    const eveAgain = await rejoin(host, { ...eve, services });
    expect(await liveStatuses(eveAgain, host)).toMatchObject({ Eve: '2' });
    expect((await signUp(host, 'Fay')).status).toBe(503);
    expect(storedStatuses(host).Eve).toBe('0');

    unlinkSync(filler);
    await waitFor(
      () => storedStatuses(host!),
      (stored) => stored.Eve === '2',
      { what: "Eve's stored presence to catch up", timeoutMs: 15_000 },
    );
    expect((await signUp(host, 'Fay')).status).toBe(200);
    eveAgain.socket.close();
  });
});

describe('another process holds the database', () => {
  let host: TestHost;
  let locker: DatabaseSync | undefined;

  beforeAll(async () => {
    host = await startTestHost();
  });

  afterAll(async () => {
    if (locker?.isOpen) locker.close();
    await host?.dispose();
  });

  test('the host stays up, people leave and rejoin, sign-ups get 503, presence catches up', async () => {
    await meetingThroughOutage(host, {
      start() {
        // What a `sqlite3` shell or a backup tool does: take the write lock and keep it.
        locker = new DatabaseSync(join(host.config.dataDir, 'roundtable.db'));
        locker.exec('BEGIN EXCLUSIVE');
        locker.exec(`INSERT INTO settings (key, value) VALUES ('held-by', 'another process')`);
      },
      end() {
        locker!.exec('ROLLBACK');
        locker!.close();
      },
    });
  });
});

describe('guest sign-ups are capped', () => {
  let host: TestHost;

  beforeAll(async () => {
    // The shipped limits (test hosts raise them for tests that sign up many guests).
    host = await startTestHost({ guestSignUps: GUEST_SIGN_UP_LIMITS });
  });

  afterAll(async () => {
    await host?.dispose();
  });

  test('the 21st sign-up in a minute from one address is refused with 429; other addresses still sign up', async () => {
    const first = [];
    for (let i = 1; i <= 20; i++) first.push(await signUp(host, `Guest ${i}`, '127.0.0.2'));
    expect(GUEST_SIGN_UP_LIMITS.perAddress).toBe(20);
    expect(first.map((reply) => reply.status)).toEqual(Array(20).fill(200));
    const refused = await signUp(host, 'Guest 21', '127.0.0.2');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      __status__: 'error',
      data: { reason: 'rate_limited' },
    });
    expect(host.store.membersOf(host.hub.id)).toHaveLength(20);
    // Someone else on the network is not affected.
    expect((await signUp(host, 'Neighbour', '127.0.0.3')).status).toBe(200);
  });
});
