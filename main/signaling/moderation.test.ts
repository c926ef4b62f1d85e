import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { MessageRejectedError } from '../../shared/client/message-socket';
import { ServiceCallError, ServiceClient } from '../../shared/client/service-client';
import type { DownstreamName } from '../../shared/protocol/messages';
import { PRIVILEGE } from '../../shared/protocol/services';
import { joinAsGuest, requestAccess, startTestHost, type TestHost } from '../../testing/host';
import { enter, publish, type RoomMember } from '../../testing/room-member';
import { waitFor } from '../../testing/wait';

// Owner and admin powers through the client door, between real sockets on a
// real host: each power works and is seen by those it concerns, and a member
// sending the same messages is refused by the host.

const PUSHES: DownstreamName[] = [
  'downstream-muted',
  'downstream-unmute-allowed',
  'downstream-peer-removed',
  'downstream-role-changed',
  'downstream-room-settings',
  'downstream-room-closed',
  'downstream-peers-list',
  'downstream-peer-left',
  'downstream-producer-state',
  'downstream-producer-closed',
];

let host: TestHost;
let owner: RoomMember, ben: RoomMember, cy: RoomMember;

beforeEach(async () => {
  host = await startTestHost();
  owner = await enter(await joinAsGuest(host, 'Olive', ownerHub()), PUSHES);
  ben = await enter(await joinAsGuest(host, 'Ben'), PUSHES);
  cy = await enter(await joinAsGuest(host, 'Cy'), PUSHES);
});

afterEach(async () => {
  await host?.dispose();
});

/** The hub with its owner key as the invite: whoever joins with it is the owner. */
const ownerHub = () => ({ id: host.hub.id, inviteSecret: host.hub.ownerKey });
const room = () => host.rooms.get(owner.room.room_id)!;
const peerOf = (member: RoomMember) => room().peers.get(member.peerId)!;

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the host accepted it');
    },
    (error: unknown) => error as MessageRejectedError | ServiceCallError,
  );

test('a member is refused every power by the host, and nothing changes', async () => {
  const mic = await publish(owner, 'microphone');
  const attempts = [
    cy.socket.request('upstream-mute-peer', { peer_id: owner.peerId, source: 'microphone' }),
    cy.socket.request('upstream-mute-all', { source: 'microphone' }),
    cy.socket.request('upstream-allow-unmute', { peer_id: ben.peerId }),
    cy.socket.request('upstream-remove-peer', { peer_id: ben.peerId }),
    cy.socket.request('upstream-end-meeting', {}),
    cy.socket.request('upstream-room-settings', { locked: true }),
    cy.socket.request('upstream-lobby-answer', { knock_id: 'k1', admit: true }),
    cy.socket.request('upstream-set-role', { peer_id: cy.peerId, role: 'admin' }),
    cy.services.call('hub.rotate_invite', { hub_id: host.hub.id }),
    cy.services.call('hub.revoke_member', { hub_id: host.hub.id, user_id: ben.userId }),
  ];
  for (const attempt of attempts) expect((await refusal(attempt)).reason).toBe('forbidden');

  expect(peerOf(owner).producers.get(mic)!.paused).toBe(false);
  expect(room().peers.size).toBe(3);
  expect(room().isClosed).toBe(false);
  expect(host.store.privilegeOf(host.hub.id, cy.userId)).toBe(PRIVILEGE.member);
  expect(host.store.privilegeOf(host.hub.id, ben.userId)).toBe(PRIVILEGE.member);
  expect(cy.seen('downstream-room-settings').at(-1)).toMatchObject({ locked: false });
});

test('the owner makes Ben an admin; everyone sees it; an admin cannot remove or demote the owner', async () => {
  expect(owner.granted.privilege).toBe(PRIVILEGE.owner);
  expect(ben.granted.privilege).toBe(PRIVILEGE.member);
  await owner.socket.request('upstream-set-role', { peer_id: ben.peerId, role: 'admin' });
  for (const member of [owner, ben, cy])
    expect(await member.next('downstream-role-changed')).toMatchObject({
      peer_id: ben.peerId,
      privilege: PRIVILEGE.admin,
      by: { peer_id: owner.peerId, display_name: 'Olive' },
    });
  const listed = await cy.next('downstream-peers-list', ({ peers }) =>
    peers.some((peer) => peer.peer_id === ben.peerId && peer.privilege === PRIVILEGE.admin),
  );
  expect(listed.peers.find((peer) => peer.peer_id === owner.peerId)!.privilege).toBe(
    PRIVILEGE.owner,
  );
  // Kept in the hub: it lasts beyond this meeting.
  expect(host.store.privilegeOf(host.hub.id, ben.userId)).toBe(PRIVILEGE.admin);

  for (const attempt of [
    ben.socket.request('upstream-remove-peer', { peer_id: owner.peerId }),
    ben.socket.request('upstream-set-role', { peer_id: owner.peerId, role: 'member' }),
    owner.socket.request('upstream-set-role', { peer_id: owner.peerId, role: 'member' }),
    ben.services.call('hub.revoke_member', { hub_id: host.hub.id, user_id: owner.userId }),
  ])
    expect((await refusal(attempt)).reason).toBe('forbidden');
  expect(room().peers.has(owner.peerId)).toBe(true);
  expect(host.store.privilegeOf(host.hub.id, owner.userId)).toBe(PRIVILEGE.owner);

  // The admin's powers work (he makes Cy an admin), and the owner can take them back.
  await ben.socket.request('upstream-set-role', { peer_id: cy.peerId, role: 'admin' });
  await owner.socket.request('upstream-set-role', { peer_id: ben.peerId, role: 'member' });
  await ben.next('downstream-role-changed', (change) => change.privilege === PRIVILEGE.member);
  expect(
    (await refusal(ben.socket.request('upstream-mute-all', { source: 'microphone' }))).reason,
  ).toBe('forbidden');
});

test('an admin mutes a microphone and stops a camera; the person is told, the others see it', async () => {
  const mic = await publish(cy, 'microphone');
  const camera = await publish(cy, 'camera');
  await owner.socket.request('upstream-mute-peer', { peer_id: cy.peerId, source: 'microphone' });
  expect(peerOf(cy).producers.get(mic)!.paused).toBe(true);
  expect(await cy.next('downstream-muted')).toMatchObject({
    source: 'microphone',
    by: { peer_id: owner.peerId, display_name: 'Olive' },
  });
  expect(
    await ben.next('downstream-producer-state', (state) => state.producer_id === mic),
  ).toMatchObject({ peer_id: cy.peerId, paused: true });

  await owner.socket.request('upstream-mute-peer', { peer_id: cy.peerId, source: 'camera' });
  expect(peerOf(cy).producers.has(camera)).toBe(false);
  await ben.next('downstream-producer-closed', (closed) => closed.producer_id === camera);
  await cy.next('downstream-muted', (muted) => muted.source === 'camera');

  // Muted, not silenced for good: Cy turns her microphone back on herself.
  await cy.socket.request('upstream-producer-resume', { producer_id: mic });
  expect(peerOf(cy).producers.get(mic)!.paused).toBe(false);

  // Everyone but the sender.
  const ownMic = await publish(owner, 'microphone');
  const benMic = await publish(ben, 'microphone');
  await owner.socket.request('upstream-mute-all', { source: 'microphone' });
  expect([
    peerOf(cy).producers.get(mic)!.paused,
    peerOf(ben).producers.get(benMic)!.paused,
  ]).toEqual([true, true]);
  expect(peerOf(owner).producers.get(ownMic)!.paused).toBe(false);
});

test('ask to unmute: microphones go off and stay off until an admin lets someone speak', async () => {
  const mic = await publish(cy, 'microphone');
  await owner.socket.request('upstream-room-settings', { ask_to_unmute: true });
  expect(await cy.next('downstream-room-settings', (s) => s.ask_to_unmute)).toMatchObject({
    locked: false,
    by: { peer_id: owner.peerId },
  });
  expect(peerOf(cy).producers.get(mic)!.paused).toBe(true);
  expect(
    (await refusal(cy.socket.request('upstream-producer-resume', { producer_id: mic }))).reason,
  ).toBe('forbidden');
  expect(peerOf(cy).producers.get(mic)!.paused).toBe(true);

  // A new microphone sent on is kept off, and its sender told so by the meeting (no one person).
  const benMic = await publish(ben, 'microphone');
  expect(peerOf(ben).producers.get(benMic)!.paused).toBe(true);
  expect(await ben.next('downstream-muted', (muted) => muted.by === null)).toMatchObject({
    source: 'microphone',
  });

  // Admins speak when they like; an admin lets Cy speak.
  const ownMic = await publish(owner, 'microphone');
  expect(peerOf(owner).producers.get(ownMic)!.paused).toBe(false);
  await owner.socket.request('upstream-allow-unmute', { peer_id: cy.peerId });
  await cy.next('downstream-unmute-allowed');
  await cy.socket.request('upstream-producer-resume', { producer_id: mic });
  expect(peerOf(cy).producers.get(mic)!.paused).toBe(false);

  await owner.socket.request('upstream-room-settings', { ask_to_unmute: false });
  await ben.socket.request('upstream-producer-resume', { producer_id: benMic });
  expect(peerOf(ben).producers.get(benMic)!.paused).toBe(false);
});

test('a removed person is told who removed them and cannot come back until the meeting ends', async () => {
  await owner.socket.request('upstream-remove-peer', { peer_id: cy.peerId });
  expect(await cy.next('downstream-room-closed')).toMatchObject({
    reason: 'removed',
    message: 'Olive removed you from the meeting',
  });
  for (const member of [owner, ben])
    expect(await member.next('downstream-peer-removed')).toMatchObject({
      peer_id: cy.peerId,
      display_name: 'Cy',
      by: { peer_id: owner.peerId },
    });
  await ben.next('downstream-peer-left', (left) => left.peer_id === cy.peerId);
  expect(room().peers.has(cy.peerId)).toBe(false);

  // Not with the same credential, nor with a new account from the same device.
  expect((await refusal(requestAccess(cy.socket))).reason).toBe('forbidden');
  const again = await joinAsGuest(host, 'Cy');
  expect((await refusal(requestAccess(again.socket, 'device-Cy'))).reason).toBe('forbidden');
  expect(room().peers.size).toBe(2);

  // Removing oneself is not how to leave; the meeting ends; a new one lets Cy in.
  expect(
    (await refusal(owner.socket.request('upstream-remove-peer', { peer_id: owner.peerId }))).reason,
  ).toBe('invalid_message');
  await owner.socket.request('upstream-end-meeting', {});
  expect(await ben.next('downstream-room-closed')).toMatchObject({
    reason: 'ended',
    message: 'Olive ended the meeting for everyone',
  });
  expect(await owner.next('downstream-room-closed')).toMatchObject({
    reason: 'ended',
    message: 'You ended the meeting for everyone',
  });
  expect(owner.seen('downstream-room-closed')).toHaveLength(1);
  await waitFor(
    () => host.rooms.get(owner.room.room_id),
    (live) => live === undefined,
    { what: 'the ended room gone' },
  );
  const back = await requestAccess(cy.socket);
  expect(back.peers).toEqual([]);
});

test('two people with one name are told apart', async () => {
  const bob = await enter(await joinAsGuest(host, 'Bob'));
  const otherBob = await enter(await joinAsGuest(host, 'bob'));
  expect([bob.granted.display_name, otherBob.granted.display_name]).toEqual(['Bob', 'bob (2)']);
  const listed = otherBob.granted.peers.find((peer) => peer.peer_id === bob.peerId)!;
  expect(listed).toMatchObject({ fullname: 'Bob', display_name: 'Bob' });
  await bob.socket.request('upstream-chat', { text: 'which Bob?' });
  expect(host.rooms.get(bob.room.room_id)!.peers.get(otherBob.peerId)!.displayName).toBe('bob (2)');
});

test('rotating the invite stops old links at once; people inside stay', async () => {
  const oldSecret = host.hub.inviteSecret;
  const { share_invite } = await owner.services.call('hub.rotate_invite', { hub_id: host.hub.id });
  expect(share_invite).not.toBe(oldSecret);
  expect(host.inviteUrl).toContain(`invite=${encodeURIComponent(share_invite)}`);
  expect((await ben.services.call('hub.get_invite', { hub_id: host.hub.id })).share_invite).toBe(
    share_invite,
  );
  const stranger = new ServiceClient(host.origin);
  for (const attempt of [
    stranger.call('hub.check_invite', { hub_id: host.hub.id, invite: oldSecret }),
    stranger.call('yp.create_guest', {
      hub_id: host.hub.id,
      invite: oldSecret,
      fullname: 'Late',
      device_id: 'late',
    }),
  ])
    expect((await refusal(attempt)).reason).toBe('forbidden');
  expect(room().peers.size).toBe(3);
  await cy.socket.request('upstream-chat', { text: 'still here' });
  await joinAsGuest(host, 'New', { id: host.hub.id, inviteSecret: share_invite });
});

test('revoking a member ends their meeting and their credential; the owner cannot be revoked', async () => {
  await owner.services.call('hub.revoke_member', { hub_id: host.hub.id, user_id: cy.userId });
  expect(await cy.next('downstream-room-closed')).toMatchObject({ reason: 'revoked' });
  await ben.next('downstream-peer-left', (left) => left.peer_id === cy.peerId);
  expect(host.store.membersOf(host.hub.id).map((member) => member.fullname)).not.toContain('Cy');
  expect((await refusal(cy.services.call('hub.get_invite', { hub_id: host.hub.id }))).reason).toBe(
    'unauthenticated',
  );
  expect(
    (
      await refusal(
        owner.services.call('hub.revoke_member', { hub_id: host.hub.id, user_id: owner.userId }),
      )
    ).reason,
  ).toBe('invalid_request');
});

test('while another program holds the database, a promotion or a new invite fails as unavailable and changes nothing', async () => {
  const other = new DatabaseSync(join(host.config.dataDir, 'roundtable.db'));
  other.exec('BEGIN EXCLUSIVE');
  try {
    const secret = host.hub.inviteSecret;
    expect(
      (
        await refusal(
          owner.socket.request('upstream-set-role', { peer_id: ben.peerId, role: 'admin' }),
        )
      ).reason,
    ).toBe('unavailable');
    expect(
      (await refusal(owner.services.call('hub.rotate_invite', { hub_id: host.hub.id }))).reason,
    ).toBe('unavailable');
    expect(peerOf(ben).privilege).toBe(PRIVILEGE.member);
    expect(ben.seen('downstream-role-changed')).toEqual([]);
    other.exec('ROLLBACK');
    expect(host.hub.inviteSecret).toBe(secret);
    // Moderation that needs no storage goes on meanwhile.
    other.exec('BEGIN EXCLUSIVE');
    await owner.socket.request('upstream-room-settings', { locked: true });
    await cy.next('downstream-room-settings', (settings) => settings.locked);
  } finally {
    if (other.isTransaction) other.exec('ROLLBACK');
    other.close();
  }
});
