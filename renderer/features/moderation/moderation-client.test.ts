import { expect, test, vi } from 'vitest';
import { MessageRejectedError, type MessageSocket } from '../../../shared/client/message-socket';
import type { DownstreamName, DownstreamPayloads } from '../../../shared/protocol/messages';
import type { Knock } from '../../../shared/protocol/moderation';
import type { HubMember } from '../../../shared/protocol/services';
import type { Link } from '../../meeting/link';
import { createMeetingStore, type RemotePeer } from '../../state/store';
import { ModerationClient } from './moderation-client';

// The client under test gets a stand-in socket: it only needs `on`, and the
// test pushes what the host would send. Requests go to a fake link.

class FakeSocket {
  private readonly listeners = new Map<string, ((payload: unknown) => void)[]>();
  on(name: string, listener: (payload: unknown) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return () => undefined;
  }
  push<N extends DownstreamName>(name: N, payload: Omit<DownstreamPayloads[N], 'room_id'>) {
    for (const listener of this.listeners.get(name) ?? []) listener({ room_id: 'r', ...payload });
  }
}

const ada = { peer_id: 'p-ada', display_name: 'Ada' };
const self = { peer_id: 'me', display_name: 'Me' };

const peer = (peerId: string, name: string, privilege = 7): RemotePeer => ({
  peerId,
  userId: `u-${peerId}`,
  fullname: name,
  displayName: name,
  privilege,
  reconnecting: false,
  tracks: {},
});

const knock = (id: string, name: string): Knock => ({
  knock_id: id,
  user_id: `u-${id}`,
  display_name: name,
  device: 'Chrome on Linux',
  invited: true,
  since: 1,
});

function setup(privilege = 7) {
  const store = createMeetingStore();
  store.getState().setSession({
    phase: 'in-room',
    target: { origin: 'http://h', hubId: 'hub-1', invite: 'i', fingerprint: null },
    self: { userId: 'u-me', peerId: 'me', roomId: 'r', displayName: 'Me', privilege },
  });
  store.getState().setPeers([peer('p-ada', 'Ada', 31), peer('p-ben', 'Ben')]);
  store
    .getState()
    .setMembers([{ id: 'u-p-ben', fullname: 'Ben', privilege: 7, online: '2' } as HubMember]);
  // Our media follows as the publisher would.
  const media = {
    switchedOffByHost: vi.fn((source: 'microphone' | 'camera' | 'screen') =>
      store
        .getState()
        .setLocalMedia(
          { microphone: { micOn: false }, camera: { camOn: false }, screen: { sharing: false } }[
            source
          ],
        ),
    ),
  };
  const client = new ModerationClient(store, media);
  const socket = new FakeSocket();
  client.listen(socket as unknown as MessageSocket);
  const request = vi.fn(async () => ({}));
  const call = vi.fn(async () => ({ hub_id: 'hub-1', share_invite: 'fresh' }));
  const link = { request, services: { call } } as unknown as Link;
  client.attach(link);
  const notices = () => store.getState().moderation.notice?.text;
  return { store, client, socket, media, request, call, notices };
}

test('settings: the first are where the meeting stands; changes are told with who made them', () => {
  const { store, socket, notices } = setup();
  socket.push('downstream-room-settings', { locked: true, ask_to_unmute: false, by: null });
  expect(store.getState().moderation.settings.locked).toBe(true);
  expect(store.getState().moderation.notice).toBeNull();

  socket.push('downstream-room-settings', { locked: false, ask_to_unmute: false, by: ada });
  expect(notices()).toBe('Ada unlocked the meeting');
  socket.push('downstream-room-settings', { locked: false, ask_to_unmute: true, by: self });
  expect(notices()).toBe('You asked everyone to ask before they unmute');
});

test('ask to unmute holds a member back until an admin allows them; admins are never held back', () => {
  const member = setup(7);
  member.socket.push('downstream-room-settings', { locked: false, ask_to_unmute: true, by: ada });
  expect(member.store.getState().moderation.mayUnmute).toBe(false);
  member.socket.push('downstream-unmute-allowed', { by: ada });
  expect(member.store.getState().moderation.mayUnmute).toBe(true);
  expect(member.notices()).toBe('Ada lets you unmute');
  // Switched off and on again: the earlier leave no longer counts.
  member.socket.push('downstream-room-settings', { locked: false, ask_to_unmute: false, by: ada });
  member.socket.push('downstream-room-settings', { locked: false, ask_to_unmute: true, by: ada });
  expect(member.store.getState().moderation.mayUnmute).toBe(false);

  const admin = setup(31);
  admin.socket.push('downstream-room-settings', { locked: false, ask_to_unmute: true, by: ada });
  expect(admin.store.getState().moderation.mayUnmute).toBe(true);
});

test('muted by an admin: our media follows and we are told who did it', () => {
  const { store, socket, media, notices } = setup();
  store.getState().setLocalMedia({ micOn: true, camOn: true, sharing: true });
  socket.push('downstream-muted', { source: 'microphone', by: ada });
  expect(media.switchedOffByHost).toHaveBeenLastCalledWith('microphone');
  expect(notices()).toBe('Ada muted your microphone');
  socket.push('downstream-muted', { source: 'camera', by: ada });
  expect(media.switchedOffByHost).toHaveBeenLastCalledWith('camera');
  expect(notices()).toBe('Ada stopped your camera');
  socket.push('downstream-muted', { source: 'screen', by: ada });
  expect(notices()).toBe('Ada stopped your screen share');
  // Muting everyone mutes those already muted too: not news to them.
  const before = store.getState().moderation.notice;
  socket.push('downstream-muted', { source: 'microphone', by: ada });
  expect(store.getState().moderation.notice).toBe(before);
});

test('muted by the ask-to-unmute setting: said only when the microphone was on', () => {
  const { store, socket, notices } = setup();
  store.getState().setLocalMedia({ micOn: false });
  socket.push('downstream-muted', { source: 'microphone', by: null });
  expect(store.getState().moderation.notice).toBeNull();
  store.getState().setLocalMedia({ micOn: true });
  socket.push('downstream-muted', { source: 'microphone', by: null });
  expect(notices()).toBe(
    'Your microphone was muted. The meeting asks you to raise your hand before you unmute',
  );
});

test('removals and role changes are told to everyone; our own role change updates us', () => {
  const { store, socket, notices } = setup();
  socket.push('downstream-peer-removed', { peer_id: 'p-ben', display_name: 'Ben', by: ada });
  expect(notices()).toBe('Ada removed Ben');
  socket.push('downstream-peer-removed', { peer_id: 'p-ben', display_name: 'Ben', by: self });
  expect(notices()).toBe('You removed Ben');

  socket.push('downstream-role-changed', {
    peer_id: 'p-ben',
    user_id: 'u-p-ben',
    privilege: 31,
    by: ada,
  });
  expect(store.getState().room.peers['p-ben']!.privilege).toBe(31);
  expect(store.getState().presence.members.find((m) => m.id === 'u-p-ben')?.privilege).toBe(31);
  expect(notices()).toBe('Ada made Ben an admin');
  socket.push('downstream-role-changed', {
    peer_id: 'p-ben',
    user_id: 'u-p-ben',
    privilege: 7,
    by: self,
  });
  expect(notices()).toBe('You made Ben a member again');

  socket.push('downstream-role-changed', {
    peer_id: 'me',
    user_id: 'u-me',
    privilege: 31,
    by: ada,
  });
  expect(store.getState().session.self!.privilege).toBe(31);
  expect(notices()).toBe('Ada made you an admin');
});

test('knocks: new ones are announced with the sound, not shown twice; losing admin clears them', () => {
  const { store, socket } = setup(31);
  socket.push('downstream-knocks', { knocks: [knock('k1', 'Dee')] });
  expect(store.getState().moderation.knocks).toHaveLength(1);
  const first = store.getState().moderation.notice;
  expect(first).toMatchObject({ text: 'Dee wants to join', toast: false, sound: 'knock' });
  socket.push('downstream-knocks', { knocks: [knock('k1', 'Dee'), knock('k2', 'Eve')] });
  expect(store.getState().moderation.notice?.text).toBe('Eve wants to join');
  const second = store.getState().moderation.notice;
  socket.push('downstream-knocks', { knocks: [knock('k2', 'Eve')] });
  expect(store.getState().moderation.notice).toBe(second);

  socket.push('downstream-role-changed', { peer_id: 'me', user_id: 'u-me', privilege: 7, by: ada });
  expect(store.getState().moderation.knocks).toEqual([]);
});

test('the host’s words when it ends the meeting for us outlive the meeting’s clearing', () => {
  const { store, client, socket } = setup();
  client.clear();
  socket.push('downstream-room-closed', {
    reason: 'removed',
    message: 'Ada removed you from the meeting',
  });
  expect(store.getState().moderation.closed).toEqual({
    reason: 'removed',
    message: 'Ada removed you from the meeting',
  });
  client.clear();
  expect(store.getState().moderation.closed?.reason).toBe('removed');
});

test('a socket replaced by a newer one is not listened to', () => {
  const { store, client, socket } = setup();
  client.listen(new FakeSocket() as unknown as MessageSocket);
  socket.push('downstream-peer-removed', { peer_id: 'p-ben', display_name: 'Ben', by: ada });
  expect(store.getState().moderation.notice).toBeNull();
});

test('requests go to the host as the protocol names them; refusals reject', async () => {
  const { client, request } = setup(31);
  await client.mutePeer('p-ben', 'camera');
  expect(request).toHaveBeenLastCalledWith('upstream-mute-peer', {
    peer_id: 'p-ben',
    source: 'camera',
  });
  await client.muteAll('microphone');
  expect(request).toHaveBeenLastCalledWith('upstream-mute-all', { source: 'microphone' });
  await client.allowUnmute('p-ben');
  expect(request).toHaveBeenLastCalledWith('upstream-allow-unmute', { peer_id: 'p-ben' });
  await client.removePeer('p-ben');
  expect(request).toHaveBeenLastCalledWith('upstream-remove-peer', { peer_id: 'p-ben' });
  await client.endMeeting();
  expect(request).toHaveBeenLastCalledWith('upstream-end-meeting', {});
  await client.setRoomSettings({ locked: true });
  expect(request).toHaveBeenLastCalledWith('upstream-room-settings', { locked: true });
  await client.answerKnock('k1', false);
  expect(request).toHaveBeenLastCalledWith('upstream-lobby-answer', {
    knock_id: 'k1',
    admit: false,
  });
  await client.setRole('p-ben', 'admin');
  expect(request).toHaveBeenLastCalledWith('upstream-set-role', {
    peer_id: 'p-ben',
    role: 'admin',
  });

  request.mockRejectedValueOnce(new MessageRejectedError('forbidden', 'admins only'));
  await expect(client.removePeer('p-ada')).rejects.toMatchObject({ reason: 'forbidden' });
  client.detach();
  await expect(client.endMeeting()).rejects.toThrow('not connected');
});

test('the invite to share comes from the host on entering, and a new one replaces it', async () => {
  const { store, client, call } = setup(31);
  expect(call).toHaveBeenCalledWith('hub.get_invite', { hub_id: 'hub-1' });
  await vi.waitFor(() => expect(store.getState().moderation.shareInvite).toBe('fresh'));
  call.mockResolvedValueOnce({ hub_id: 'hub-1', share_invite: 'newer' });
  await expect(client.rotateInvite()).resolves.toBe('newer');
  expect(call).toHaveBeenLastCalledWith('hub.rotate_invite', { hub_id: 'hub-1' });
  expect(store.getState().moderation.shareInvite).toBe('newer');
});
