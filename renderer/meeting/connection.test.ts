import { expect, test, vi } from 'vitest';
import { createMeetingStore, type RemotePeer } from '../state/store';
import { Connection } from './connection';
import { Publisher } from './publisher';
import type { Clock } from './reconnector';
import { RoomToolsClient } from '../features/room-tools/room-tools-client';
import { Subscriber } from './subscriber';

// How the reconnect machine's decisions show in the store (the banner and the
// screens read only the store). The machine is driven directly; its timers
// belong to a clock that never fires, so no join attempt touches the network.

function fakeTrack() {
  return { readyState: 'live', stop: vi.fn() } as unknown as MediaStreamTrack & {
    stop: ReturnType<typeof vi.fn>;
  };
}

function setup() {
  const store = createMeetingStore();
  const clock: Clock = {
    now: () => 50_000,
    setTimeout: () => ({}),
    clearTimeout: () => undefined,
    random: () => 0.5,
  };
  const connection = new Connection(
    store,
    new Publisher(store),
    new Subscriber(store),
    [new RoomToolsClient(store)],
    new Map() as unknown as Storage,
    { clock },
  );
  const peer: RemotePeer = {
    peerId: 'p1',
    userId: 'u1',
    fullname: 'Ben',
    displayName: 'Ben',
    privilege: 7,
    reconnecting: false,
    tracks: {
      v: {
        producerId: 'v',
        kind: 'video',
        source: 'camera',
        paused: false,
        consumerId: 'c1',
        track: fakeTrack(),
      },
    },
  };
  store.getState().setPeers([peer]);
  store.getState().updateTrack('p1', 'v', { consumerId: 'c1' });
  store.getState().setSession({ phase: 'in-room', connection: 'connected' });
  return { store, connection };
}

test('a lost socket shows "reconnecting" with the time of the next try, and keeps the people in view', () => {
  const { store, connection } = setup();
  connection.machine.connected();
  connection.machine.socketClosed();
  const { session, room } = store.getState();
  expect(session).toMatchObject({ phase: 'in-room', connection: 'reconnecting' });
  expect(session.nextAttemptAt).toBe(50_000 + 500);
  // Their tile stays (with its name); the dead consumer is forgotten so the rejoin consumes again.
  expect(room.peers.p1!.fullname).toBe('Ben');
  expect(room.peers.p1!.tracks.v).toMatchObject({ consumerId: null, track: null });
});

test('the host ending the meeting shows the ended screen and releases camera, microphone and screen', () => {
  const { store, connection } = setup();
  const [mic, cam, screen] = [fakeTrack(), fakeTrack(), fakeTrack()];
  store
    .getState()
    .setLocalMedia({ micTrack: mic, camTrack: cam, screenTrack: screen, sharing: true });
  connection.machine.connected();
  connection.machine.socketClosed();
  connection.machine.roomClosed('host_ended');
  const { session, room, localMedia } = store.getState();
  expect(session).toMatchObject({
    phase: 'left',
    ended: 'host_ended',
    connection: 'failed',
    nextAttemptAt: null,
  });
  expect(room.peers).toEqual({});
  for (const track of [mic, cam, screen]) expect(track.stop).toHaveBeenCalled();
  expect(localMedia).toMatchObject({ micTrack: null, camTrack: null, sharing: false });
});

test('the machine stays quiet after leaving', async () => {
  const { store, connection } = setup();
  connection.machine.connected();
  await connection.leave();
  connection.machine.socketClosed();
  expect(store.getState().session).toMatchObject({ phase: 'left', ended: null });
});
