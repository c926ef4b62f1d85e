import { beforeEach, expect, test } from 'vitest';
import { createMeetingStore, type MeetingStore, type RemotePeer } from './store';

let store: MeetingStore;
beforeEach(() => {
  store = createMeetingStore();
});

const peer = (peerId: string, tracks: RemotePeer['tracks'] = {}): RemotePeer => ({
  peerId,
  userId: `user-${peerId}`,
  fullname: `Person ${peerId}`,
  displayName: `Person ${peerId}`,
  privilege: 7,
  reconnecting: false,
  tracks,
});
const track = (producerId: string, paused = false) => ({
  producerId,
  kind: 'video' as const,
  source: 'camera' as const,
  paused,
  consumerId: null,
  track: null,
});

test('a new peers-list keeps what is already consumed and takes the new mute state', () => {
  store.getState().setPeers([peer('a', { p1: track('p1') })]);
  store.getState().updateTrack('a', 'p1', { consumerId: 'c1' });
  store.getState().setPeers([peer('a', { p1: track('p1', true), p2: track('p2') }), peer('b')]);
  const a = store.getState().room.peers.a!;
  expect(a.tracks.p1).toMatchObject({ consumerId: 'c1', paused: true });
  expect(a.tracks.p2).toMatchObject({ consumerId: null });
  expect(Object.keys(store.getState().room.peers)).toEqual(['a', 'b']);
});

test('a peer who leaves takes their speaker highlight along', () => {
  store.getState().setPeers([peer('a'), peer('b')]);
  store.getState().setActiveSpeaker('a');
  store.getState().removePeer('a');
  expect(store.getState().room).toMatchObject({ activeSpeakerId: null });
  expect(Object.keys(store.getState().room.peers)).toEqual(['b']);
});

test('removing a track leaves the peer; presence updates one member', () => {
  store.getState().setPeers([peer('a', { p1: track('p1'), p2: track('p2') })]);
  store.getState().removeTrack('a', 'p1');
  expect(Object.keys(store.getState().room.peers.a!.tracks)).toEqual(['p2']);

  const member = { id: 'u1', fullname: 'U', online: '1' as const };
  store.getState().setMembers([member, { ...member, id: 'u2' }] as never);
  store.getState().setMemberStatus('u2', '2');
  expect(store.getState().presence.members.map((m) => m.online)).toEqual(['1', '2']);
});

test('a lost connection keeps the people but forgets consumed tracks', () => {
  store.getState().setPeers([peer('a', { p1: track('p1') })]);
  store.getState().updateTrack('a', 'p1', { consumerId: 'c1' });
  store.getState().setActiveSpeaker('a');
  store.getState().detachTracks();
  const { room } = store.getState();
  expect(room.peers.a!.tracks.p1).toMatchObject({ consumerId: null, track: null });
  expect(room).toMatchObject({ activeSpeakerId: null });
  // After the rejoin the same producers are consumed again: nothing stale blocks it.
  store.getState().setPeers([peer('a', { p1: track('p1') })]);
  expect(store.getState().room.peers.a!.tracks.p1!.consumerId).toBeNull();
});
