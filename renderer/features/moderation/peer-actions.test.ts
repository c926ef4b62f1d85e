import { expect, test } from 'vitest';
import type { RemotePeer, RemoteTrack } from '../../state/store';
import { peerActionKinds, roleLabel, type PeerActionContext } from './peer-actions';

const track = (source: RemoteTrack['source'], paused = false): RemoteTrack => ({
  producerId: source,
  kind: source === 'microphone' ? 'audio' : 'video',
  source,
  paused,
  consumerId: null,
  track: null,
});

const person = (privilege: number, tracks: RemoteTrack[] = []): RemotePeer => ({
  peerId: 'p',
  userId: 'u',
  fullname: 'Ben',
  displayName: 'Ben',
  privilege,
  reconnecting: false,
  tracks: Object.fromEntries(tracks.map((t) => [t.producerId, t])),
});

const as = (selfPrivilege: number, more: Partial<PeerActionContext> = {}): PeerActionContext => ({
  selfPrivilege,
  settings: { locked: false, ask_to_unmute: false },
  handRaised: false,
  ...more,
});

const everything = [track('microphone'), track('camera'), track('screen')];

test('members and visitors are offered nothing, whatever the person', () => {
  for (const self of [0, 7])
    for (const target of [0, 7, 31, 63])
      expect(peerActionKinds(person(target, everything), as(self))).toEqual([]);
});

test('an admin on a member: what is on can be switched off, the role raised, the person removed', () => {
  expect(peerActionKinds(person(7, everything), as(31))).toEqual([
    'mute-microphone',
    'stop-camera',
    'stop-screen',
    'make-admin',
    'remove',
  ]);
  // A muted microphone and no camera: nothing to switch off.
  expect(peerActionKinds(person(7, [track('microphone', true)]), as(31))).toEqual([
    'make-admin',
    'remove',
  ]);
});

test('nobody but the owner may demote or remove the owner; the owner may demote and remove admins', () => {
  expect(peerActionKinds(person(63, everything), as(31))).toEqual([
    'mute-microphone',
    'stop-camera',
    'stop-screen',
  ]);
  expect(peerActionKinds(person(31), as(31))).toEqual(['remove-admin', 'remove']);
  expect(peerActionKinds(person(31), as(63))).toEqual(['remove-admin', 'remove']);
});

test('allow to unmute: only while the meeting asks to, for non-admins with a hand up or a muted mic', () => {
  const ask = { settings: { locked: false, ask_to_unmute: true } };
  expect(peerActionKinds(person(7, [track('microphone', true)]), as(31, ask))).toContain(
    'allow-unmute',
  );
  expect(
    peerActionKinds(person(7, [track('microphone')]), as(31, { ...ask, handRaised: true })),
  ).toContain('allow-unmute');
  expect(peerActionKinds(person(31, [track('microphone', true)]), as(63, ask))).not.toContain(
    'allow-unmute',
  );
  expect(peerActionKinds(person(7, [track('microphone', true)]), as(31))).not.toContain(
    'allow-unmute',
  );
});

test('role badges', () => {
  expect([0, 7, 31, 63].map(roleLabel)).toEqual([null, null, 'Admin', 'Owner']);
});
