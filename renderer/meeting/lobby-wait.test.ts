import { expect, test } from 'vitest';
import { SocketClosedError } from '../../shared/client/message-socket';
import type { DownstreamName, DownstreamPayloads } from '../../shared/protocol/messages';
import {
  LobbyDeclinedError,
  requestAccessThroughLobby,
  type AccessGranted,
  type LobbySocket,
  type LobbyWaiting,
} from './lobby-wait';

// The knocking side of the lobby against a scripted socket: what the host
// answers request-access with, and what it pushes while we wait.

function fakeSocket() {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const closeListeners: (() => void)[] = [];
  const socket: LobbySocket = {
    on: (name, listener) => {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    onClose: (listener) => void closeListeners.push(() => listener({} as never)),
  };
  return {
    socket,
    push<N extends DownstreamName>(name: N, payload: DownstreamPayloads[N]) {
      for (const listener of listeners.get(name) ?? []) (listener as (p: unknown) => void)(payload);
    },
    listening: (name: DownstreamName) => listeners.get(name)?.size ?? 0,
    close: () => closeListeners.forEach((listener) => listener()),
  };
}

const granted = { peer_id: 'p1', display_name: 'Ada' } as AccessGranted;
const waiting = (knock_id: string): LobbyWaiting => ({ cid: 'c1', room_id: 'r1', knock_id });
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

/** request-access answered from `answers` in turn, the lobby's events recorded. */
function knocking(answers: (AccessGranted | LobbyWaiting)[]) {
  const host = fakeSocket();
  const events: string[] = [];
  let asked = 0;
  const access = requestAccessThroughLobby(async () => answers[asked++]!, host.socket, {
    waiting: (knock) => events.push(`waiting ${knock.knock_id}`),
    admitted: () => events.push('admitted'),
  });
  return { host, events, access, asked: () => asked };
}

test('an open meeting lets us in at once: no lobby', async () => {
  const { access, events } = knocking([granted]);
  await expect(access).resolves.toBe(granted);
  expect(events).toEqual([]);
});

test('admitted, we ask again on the same socket and get in; answers to other knocks are not ours', async () => {
  const { host, access, events, asked } = knocking([waiting('k1'), granted]);
  await settled();
  expect(events).toEqual(['waiting k1']);
  host.push('downstream-lobby-admitted', { room_id: 'r1', knock_id: 'someone-else' });
  await settled();
  expect(asked()).toBe(1);
  host.push('downstream-lobby-admitted', { room_id: 'r1', knock_id: 'k1' });
  await expect(access).resolves.toBe(granted);
  expect(events).toEqual(['waiting k1', 'admitted']);
  expect(asked()).toBe(2);
  // Nothing is left listening once answered.
  expect(host.listening('downstream-lobby-admitted')).toBe(0);
  expect(host.listening('downstream-lobby-declined')).toBe(0);
});

test('declined, we stop with the host’s words', async () => {
  const { host, access } = knocking([waiting('k1')]);
  await settled();
  host.push('downstream-lobby-declined', {
    room_id: 'r1',
    knock_id: 'k1',
    message: 'Olga Owner did not let you in.',
  });
  const error = await access.catch((failure: unknown) => failure);
  expect(error).toBeInstanceOf(LobbyDeclinedError);
  expect((error as LobbyDeclinedError).hostMessage).toBe('Olga Owner did not let you in.');
});

test('the socket ending while we wait takes the knock with it: the wait fails as a lost socket', async () => {
  const { host, access } = knocking([waiting('k1')]);
  await settled();
  host.close();
  await expect(access).rejects.toBeInstanceOf(SocketClosedError);
  await expect(access).rejects.toThrow(/WebSocket/);
});

test('told to wait again after being admitted, we wait again for the new knock', async () => {
  const { host, access, events } = knocking([waiting('k1'), waiting('k2'), granted]);
  await settled();
  host.push('downstream-lobby-admitted', { room_id: 'r1', knock_id: 'k1' });
  await settled();
  host.push('downstream-lobby-admitted', { room_id: 'r1', knock_id: 'k2' });
  await expect(access).resolves.toBe(granted);
  expect(events).toEqual(['waiting k1', 'admitted', 'waiting k2', 'admitted']);
});
