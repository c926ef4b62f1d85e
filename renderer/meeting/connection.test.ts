import { expect, test, vi } from 'vitest';
import { MessageRejectedError } from '../../shared/client/message-socket';
import { ServiceCallError } from '../../shared/client/service-client';
import { createMeetingStore, type RemotePeer } from '../state/store';
import { Connection } from './connection';
import { describeJoinError, isFatalRejoinError } from './errors';
import { LobbyDeclinedError } from './lobby-wait';
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

test('waiting in the lobby shows the lobby screen; a lost socket there is a new knock, not an error', () => {
  const { store, connection } = setup();
  store.getState().setSession({
    phase: 'joining',
    connection: 'connecting',
    lobby: { state: 'waiting', message: null, name: 'Ada' },
  });
  connection.machine.waitingInLobby();
  expect(store.getState().session).toMatchObject({ phase: 'lobby', connection: 'connecting' });
  connection.machine.socketClosed();
  const { session } = store.getState();
  expect(session).toMatchObject({ phase: 'lobby', connection: 'reconnecting', error: null });
  expect(session.lobby).toMatchObject({ state: 'waiting', name: 'Ada' });
  expect(session.nextAttemptAt).toBeGreaterThan(50_000);
  // Let in on the next knock: the room.
  connection.machine.connected();
  expect(store.getState().session).toMatchObject({
    phase: 'in-room',
    connection: 'connected',
    lobby: null,
  });
});

test('cancelling a knock goes back to pre-join; leaving after a decline goes home', async () => {
  const { store, connection } = setup();
  const target = { origin: 'https://10.0.0.2:8443', hubId: 'h', invite: null, fingerprint: null };
  store.getState().setSession({
    phase: 'lobby',
    target,
    lobby: { state: 'waiting', message: null, name: 'Ada' },
  });
  await connection.leave();
  // The same meeting, to ask again.
  expect(store.getState().session).toMatchObject({ phase: 'prejoin', target, lobby: null });

  store.getState().setSession({
    phase: 'lobby',
    lobby: { state: 'declined', message: 'No.', name: 'Ada' },
  });
  await connection.leave();
  expect(store.getState().session).toMatchObject({ phase: 'home', target: null, lobby: null });
});

test('what a person is told when the lobby or the host turns them away', () => {
  const target = { origin: 'https://10.0.0.2:8443', hubId: 'h', invite: 's', fingerprint: null };
  expect(describeJoinError(new MessageRejectedError('forbidden', 'removed'), target)).toBe(
    'You were removed from this meeting. You can join again when it ends.',
  );
  expect(describeJoinError(new LobbyDeclinedError('the meeting ended'), target)).toBe(
    'Nobody let you in.',
  );
  const forbidden = new ServiceCallError('yp.create_guest', 'forbidden', 'no', 403);
  expect(describeJoinError(forbidden, target)).toMatch(/invite link is not valid/);
  expect(describeJoinError(forbidden, { ...target, invite: null })).toMatch(
    /Ask someone in the meeting for the invite link/,
  );
  // Removed or declined: no rejoin loop.
  expect(isFatalRejoinError(new MessageRejectedError('forbidden', 'removed'))).toBe(true);
  expect(isFatalRejoinError(new LobbyDeclinedError(''))).toBe(true);
  expect(isFatalRejoinError(new MessageRejectedError('unavailable', 'busy'))).toBe(false);
});
