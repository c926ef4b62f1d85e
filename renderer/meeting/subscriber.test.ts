import { expect, test, vi } from 'vitest';
import type { MessageSocket } from '../../shared/client/message-socket';
import { ServiceCallError } from '../../shared/client/service-client';
import type { ConsumerInfo, PeerInfo } from '../../shared/protocol/messages';
import { createMeetingStore } from '../state/store';
import type { Link } from './link';
import { Subscriber } from './subscriber';

// The subscriber against a scripted link: the host's answers are promises the
// test settles, the receive transport hands out stand-in consumers.

function setup() {
  const store = createMeetingStore();
  const subscriber = new Subscriber(store);
  const pushes = new Map<string, (payload: unknown) => void>();
  const socket = {
    on: (name: string, listener: (payload: unknown) => void) => pushes.set(name, listener),
  } as unknown as MessageSocket;
  const offers: { peerId: string; answer(consumers: ConsumerInfo[]): void }[] = [];
  const request = vi.fn((name: string, payload: Record<string, unknown>) => {
    if (name !== 'downstream-offer') return Promise.resolve({});
    return new Promise((resolve) =>
      offers.push({
        peerId: String(payload.peer_id),
        answer: (consumers) => resolve({ peer_id: payload.peer_id, consumers }),
      }),
    );
  });
  const link = {
    request,
    recvTransport: {
      consume: async ({ id, producerId, kind }: { id: string; producerId: string; kind: string }) =>
        ({ id, producerId, kind, track: {}, close: vi.fn(), closed: false }) as unknown,
    },
  } as unknown as Link;
  subscriber.listen(socket);
  subscriber.attach(link, []);
  const peersList = (peers: PeerInfo[]) =>
    pushes.get('downstream-peers-list')!({ room_id: 'r', peers });
  return { store, offers, request, peersList, subscriber };
}

const peer = (producers: string[], reconnecting = false): PeerInfo => ({
  peer_id: 'p1',
  user_id: 'u1',
  fullname: 'Tess',
  display_name: 'Tess',
  privilege: 7,
  reconnecting,
  producers: producers.map((id) => ({
    producer_id: id,
    kind: id === 'mic' ? 'audio' : 'video',
    source: id === 'mic' ? 'microphone' : 'camera',
    paused: false,
  })),
});

const consumer = (producerId: string): ConsumerInfo => ({
  consumer_id: `c-${producerId}`,
  producer_id: producerId,
  kind: producerId === 'mic' ? 'audio' : 'video',
  source: producerId === 'mic' ? 'microphone' : 'camera',
  rtpParameters: {},
  producerPaused: false,
});

test('a peer that publishes track after track while we ask is asked again for the rest', async () => {
  const { store, offers, peersList } = setup();
  // A peer taking over its place is in the room already and publishes one track at a time.
  peersList([peer(['mic'])]);
  expect(offers).toHaveLength(1);
  peersList([peer(['mic', 'cam'])]);
  expect(offers).toHaveLength(1);
  offers[0]!.answer([consumer('mic')]);
  await vi.waitFor(() => expect(offers).toHaveLength(2));
  offers[1]!.answer([consumer('cam')]);
  await vi.waitFor(() =>
    expect(store.getState().room.peers.p1!.tracks.cam!.consumerId).toBe('c-cam'),
  );
  expect(store.getState().room.peers.p1!.tracks.mic!.consumerId).toBe('c-mic');
});

test('a burst of peers-lists for what is already asked for asks once', async () => {
  const { store, offers, peersList } = setup();
  peersList([peer(['mic', 'cam'])]);
  peersList([peer(['mic', 'cam'])]);
  offers[0]!.answer([consumer('mic'), consumer('cam')]);
  await vi.waitFor(() =>
    expect(store.getState().room.peers.p1!.tracks.cam!.consumerId).toBe('c-cam'),
  );
  expect(offers).toHaveLength(1);
});

test('the host holding a peer’s place shows in the store', () => {
  const { store, peersList } = setup();
  peersList([peer([], true)]);
  expect(store.getState().room.peers.p1!.reconnecting).toBe(true);
  peersList([peer([], false)]);
  expect(store.getState().room.peers.p1!.reconnecting).toBe(false);
});

test('a visitor refused the hub’s members asks no more on that link, however many presence pushes come', async () => {
  const store = createMeetingStore();
  store.getState().setSession({
    target: { origin: 'https://h', hubId: 'h', invite: null, fingerprint: null },
  });
  const subscriber = new Subscriber(store);
  const pushes = new Map<string, (payload: unknown) => void>();
  subscriber.listen({
    on: (name: string, listener: (payload: unknown) => void) => pushes.set(name, listener),
  } as unknown as MessageSocket);
  const call = vi.fn(async () => {
    throw new ServiceCallError('hub.get_members_by_type', 'forbidden', 'visitors may not', 403);
  });
  subscriber.attach(
    { services: { call }, socket: { socketId: 's' }, deviceId: 'd' } as unknown as Link,
    [],
  );
  await subscriber.refreshMembers();
  for (let i = 0; i < 3; i++)
    pushes.get('downstream-presence')!({ hub_id: 'h', user_id: `u${i}`, online: '1' });
  await subscriber.refreshMembers();
  expect(call).toHaveBeenCalledTimes(1);
  expect(store.getState().presence.members).toEqual([]);
});
