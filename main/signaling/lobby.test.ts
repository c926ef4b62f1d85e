import { afterEach, beforeEach, expect, test } from 'vitest';
import { ServiceCallError, ServiceClient } from '../../shared/client/service-client';
import type { DownstreamName } from '../../shared/protocol/messages';
import { PRIVILEGE } from '../../shared/protocol/services';
import {
  joinAsGuest,
  openBoundSocket,
  requestAccess,
  startTestHost,
  type TestHost,
} from '../../testing/host';
import { enter, record, type RoomMember } from '../../testing/room-member';
import { waitFor } from '../../testing/wait';
import { MAX_KNOCKS } from './lobby';

// A locked meeting's lobby through the client door, between real sockets:
// who waits, what the admins see, admit and decline, visitors without an
// invite, and knocks that go away with their socket.

const PUSHES: DownstreamName[] = [
  'downstream-knocks',
  'downstream-lobby-admitted',
  'downstream-lobby-declined',
  'downstream-room-settings',
];

let host: TestHost;
let owner: RoomMember;

beforeEach(async () => {
  host = await startTestHost();
  owner = await enter(
    await joinAsGuest(host, 'Olive', { id: host.hub.id, inviteSecret: host.hub.ownerKey }),
    PUSHES,
  );
});

afterEach(async () => {
  await host?.dispose();
});

const room = () => host.rooms.get(owner.room.room_id)!;

/** Someone opening the host's address without an invite link: a visitor account, bound, in the hub's room. */
async function visitor(name: string, userAgent?: string) {
  const about = await new ServiceClient(host.origin).call('hub.about', {});
  const guest = await joinAsGuest(
    host,
    name,
    { id: about.hub_id, inviteSecret: null },
    { userAgent },
  );
  expect(guest.privilege).toBe(PRIVILEGE.visitor);
  return guest;
}

test('a locked meeting: a member waits, the admins see who knocks, and admit lets them in', async () => {
  await owner.socket.request('upstream-room-settings', { locked: true });
  const ben = await joinAsGuest(host, 'Ben');
  const benSeen = record(ben.socket, PUSHES);
  const waiting = await ben.socket.request('upstream-request-access', { deviceId: 'd' });
  expect(waiting).toMatchObject({ room_id: room().id });
  if (!('knock_id' in waiting)) throw new Error('Ben got in without knocking');
  expect(room().peers.size).toBe(1);

  const { knocks } = await owner.next('downstream-knocks', (list) => list.knocks.length === 1);
  expect(knocks[0]).toMatchObject({
    knock_id: waiting.knock_id,
    user_id: ben.userId,
    display_name: 'Ben',
    invited: true,
  });
  expect(knocks[0]!.device).toMatch(/ on |unknown/);

  await owner.socket.request('upstream-lobby-answer', { knock_id: waiting.knock_id, admit: true });
  await benSeen.next('downstream-lobby-admitted');
  await owner.next('downstream-knocks', (list) => list.knocks.length === 0);
  const granted = await requestAccess(ben.socket);
  expect(granted.peers.map((peer) => peer.peer_id)).toEqual([owner.peerId]);
  await ben.socket.request('upstream-peer-enter', {
    rtpCapabilities: granted.routerRtpCapabilities as never,
  });

  // Let in once is in: coming back on a new socket (a drop, a reload) does not knock again.
  ben.socket.close();
  const { socket } = await openBoundSocket(host, ben);
  const back = await requestAccess(socket);
  expect(back.peer_id).toBe(granted.peer_id);
});

test('declined: the knocker is told; a member of an open meeting walks in', async () => {
  const early = await enter(await joinAsGuest(host, 'Early'));
  expect(early.granted.peers).toHaveLength(1);
  await owner.socket.request('upstream-room-settings', { locked: true });
  const cy = await joinAsGuest(host, 'Cy');
  const cySeen = record(cy.socket, PUSHES);
  const waiting = await cy.socket.request('upstream-request-access', { deviceId: 'd' });
  if (!('knock_id' in waiting)) throw new Error('Cy got in');
  // A member cannot answer knocks.
  const refused = await early.socket
    .request('upstream-lobby-answer', { knock_id: waiting.knock_id, admit: true })
    .catch((error: unknown) => error as { reason: string });
  expect(refused).toMatchObject({ reason: 'forbidden' });
  await owner.socket.request('upstream-lobby-answer', { knock_id: waiting.knock_id, admit: false });
  expect(await cySeen.next('downstream-lobby-declined')).toMatchObject({
    knock_id: waiting.knock_id,
  });
  // Still not let in: asking again is a new knock.
  const second = await cy.socket.request('upstream-request-access', { deviceId: 'd' });
  expect('knock_id' in second).toBe(true);
});

test('a visitor without an invite knocks even at an open meeting, and sees nothing of the hub', async () => {
  const vee = await visitor(
    'Vee',
    'Mozilla/5.0 (Linux; Android 14) Chrome/140.0 Mobile Safari/537.36',
  );
  const veeSeen = record(vee.socket, PUSHES);
  const waiting = await vee.socket.request('upstream-request-access', { deviceId: 'd' });
  if (!('knock_id' in waiting)) throw new Error('a visitor walked in');
  const { knocks } = await owner.next('downstream-knocks', (list) => list.knocks.length === 1);
  expect(knocks[0]).toMatchObject({
    display_name: 'Vee',
    device: 'Chrome on Android',
    invited: false,
  });

  for (const call of [
    vee.services.call('hub.get_members_by_type', {
      socket_id: vee.socket.socketId,
      device_id: 'd',
      hub_id: host.hub.id,
      type: 'all',
    }),
    vee.services.call('hub.get_invite', { hub_id: host.hub.id }),
  ])
    expect(((await call.catch((error: unknown) => error)) as ServiceCallError).reason).toBe(
      'forbidden',
    );
  expect(host.store.membersOf(host.hub.id).map((member) => member.fullname)).toEqual(['Olive']);
  // Nor the members' comings and goings.
  const presence: unknown[] = [];
  vee.socket.on('downstream-presence', (push) => presence.push(push));
  const late = await joinAsGuest(host, 'Late member');
  await waitFor(
    () => host.store.membersOf(host.hub.id).length,
    (count) => count === 2,
    { what: 'the late member listed' },
  );
  late.socket.close();
  const watcher = await joinAsGuest(host, 'Watcher');
  const seen: unknown[] = [];
  watcher.socket.on('downstream-presence', (push) => seen.push(push));
  const later = await joinAsGuest(host, 'Later');
  await waitFor(
    () => seen.length,
    (count) => count > 0,
    { what: 'a member told of presence' },
  );
  later.socket.close();
  expect(presence).toEqual([]);

  await owner.socket.request('upstream-lobby-answer', { knock_id: waiting.knock_id, admit: true });
  await veeSeen.next('downstream-lobby-admitted');
  const granted = await requestAccess(vee.socket);
  expect(granted.privilege).toBe(PRIVILEGE.visitor);
  expect(room().peers.size).toBe(2);
});

test('a knock goes away with its socket; a room opened only by knocks closes again', async () => {
  owner.socket.close();
  await waitFor(
    () => host.rooms.size,
    (size) => size === 0,
    { what: 'the empty room closed' },
  );
  const vee = await visitor('Vee');
  const waiting = await vee.socket.request('upstream-request-access', { deviceId: 'd' });
  expect('knock_id' in waiting).toBe(true);
  expect(host.rooms.size).toBe(1);
  await vee.socket.request('upstream-leave', {});
  await waitFor(
    () => host.rooms.size,
    (size) => size === 0,
    { what: 'the knock-only room closed' },
  );

  // Waiting while an admin is there: the socket closing takes the knock off the admins' list.
  const olive = await enter(
    await joinAsGuest(host, 'Olive', { id: host.hub.id, inviteSecret: host.hub.ownerKey }),
    PUSHES,
  );
  const wes = await visitor('Wes');
  await wes.socket.request('upstream-request-access', { deviceId: 'd' });
  await olive.next('downstream-knocks', (list) => list.knocks.length === 1);
  wes.socket.close();
  await olive.next('downstream-knocks', (list) => list.knocks.length === 0);
});

test(`the lobby holds at most ${MAX_KNOCKS} knocks; the next is told to try later`, async () => {
  await owner.socket.request('upstream-room-settings', { locked: true });
  const knockers = [];
  for (let i = 0; i <= MAX_KNOCKS; i++) knockers.push(await joinAsGuest(host, `K${i}`));
  const answers = await Promise.all(
    knockers.map((knocker) =>
      knocker.socket.request('upstream-request-access', { deviceId: 'd' }).then(
        () => 'waiting',
        (error: unknown) => (error as { reason: string }).reason,
      ),
    ),
  );
  expect(answers.filter((answer) => answer === 'waiting')).toHaveLength(MAX_KNOCKS);
  expect(answers.filter((answer) => answer === 'rate_limited')).toHaveLength(1);
  for (const knocker of knockers) knocker.socket.close();
});
