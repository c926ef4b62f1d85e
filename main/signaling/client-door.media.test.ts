import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PeerInfo } from '../../shared/protocol/messages';
import { launchChromium, openHarnessPage, writeHarnessWebClient } from '../../testing/browser';
import { joinAsGuest, startTestHost, type TestHost, requestAccess } from '../../testing/host';
import { waitFor } from '../../testing/wait';

// The seed-000 flow end to end: three Chromium pages with fake camera and
// microphone walk room.get → yp.bind_socket → request-access → offer →
// peer-enter → peers-list → downstream-offer → downstream-response against a
// real host, and real media flows between all of them.

type Harness = import('../../testing/page-harness').Harness;
declare const harness: Harness;

let host: TestHost;
let browser: Browser;

beforeAll(async () => {
  host = await startTestHost({ webClientDir: await writeHarnessWebClient() });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.dispose();
});

async function joinAndPublish(page: Page, name: string) {
  const joined = await page.evaluate(
    ([hubId, invite, fullname]) => harness.join(hubId, invite, fullname),
    [host.hub.id, host.hub.inviteSecret, name] as const,
  );
  const access = await page.evaluate(() => harness.requestAccess());
  const producerIds = await page.evaluate(() => harness.publish());
  await page.evaluate(() => harness.enter());
  return { ...joined, ...access, producerIds };
}

const lastPeersList = (page: Page) =>
  page.evaluate(() => harness.messages('downstream-peers-list').at(-1)?.peers ?? []);
const peerIds = (peers: PeerInfo[]) => peers.map((peer) => peer.peer_id).sort();

test('three clients walk the seed flow and see and hear each other', async () => {
  const [ada, ben, cy] = await Promise.all(
    [0, 1, 2].map(() => openHarnessPage(browser, host.origin)),
  );

  // First in: nobody else yet; room.get names the WebSocket endpoint.
  const a = await joinAndPublish(ada!, 'Ada');
  expect(a.room.endpointRoute).toBe('/-/ws');
  expect(a.room.endpointAddress).toBe(new URL(host.origin).host);
  expect(a.peers).toEqual([]);
  expect(a.producerIds).toHaveLength(2);
  // peer-enter is broadcast to everyone in the room, the sender included.
  await waitFor(
    () => lastPeersList(ada!),
    (peers) => peers.length === 1,
    { what: "Ada's own peers-list" },
  );

  // Second in: access-granted lists Ada with her two published tracks.
  const b = await joinAndPublish(ben!, 'Ben');
  expect(b.peers).toHaveLength(1);
  expect(b.peers[0]).toMatchObject({ peer_id: a.peer_id, user_id: a.user_id, fullname: 'Ada' });
  expect(b.peers[0]!.producers.map((p) => p.source).sort()).toEqual(['camera', 'microphone']);
  await waitFor(
    () => lastPeersList(ada!),
    (peers) => peers.length === 2,
    { what: 'Ben announced to Ada' },
  );

  // Third in, then everybody asks for everybody else's streams.
  const c = await joinAndPublish(cy!, 'Cy');
  expect(peerIds(c.peers)).toEqual([a.peer_id, b.peer_id].sort());
  for (const page of [ada!, ben!, cy!]) {
    const peers = await waitFor(
      () => lastPeersList(page),
      (list) => list.length === 3,
      { what: 'peers-list of 3' },
    );
    expect(peerIds(peers)).toEqual([a.peer_id, b.peer_id, c.peer_id].sort());
  }
  const others = { [a.peer_id]: [b, c], [b.peer_id]: [a, c], [c.peer_id]: [a, b] };
  for (const [page, me] of [
    [ada!, a],
    [ben!, b],
    [cy!, c],
  ] as const) {
    for (const other of others[me.peer_id]!) {
      const response = await page.evaluate((peerId) => harness.consume(peerId), other.peer_id);
      expect(response.peer_id).toBe(other.peer_id);
      expect(response.consumers.map((consumer) => consumer.producer_id).sort()).toEqual(
        [...other.producerIds].sort(),
      );
    }
  }

  // Real media: every client decodes both remote videos, and keeps decoding.
  for (const page of [ada!, ben!, cy!]) {
    const decoded = (minimum: number) => (frames: Record<string, number>) =>
      Object.values(frames).length === 2 && Object.values(frames).every((count) => count > minimum);
    const first = await waitFor(() => page.evaluate(() => harness.framesDecoded()), decoded(0), {
      what: 'first decoded frames',
    });
    await waitFor(
      () => page.evaluate(() => harness.framesDecoded()),
      decoded(Math.max(...Object.values(first))),
      {
        what: 'more decoded frames',
      },
    );
  }

  // The fake microphone's beeps make someone the active speaker.
  await waitFor(
    () =>
      ada!.evaluate(
        () =>
          harness.messages('downstream-active-speaker').filter((m) => m.peer_id !== null).length,
      ),
    (count) => count > 0,
    { what: 'an active speaker' },
  );
  // Someone arriving now is told who speaks, not only later changes.
  const late = await joinAsGuest(host, 'Late Lee');
  const toldLate: (string | null)[] = [];
  late.socket.on('downstream-active-speaker', ({ peer_id }) => toldLate.push(peer_id));
  await requestAccess(late.socket, 'd');
  await waitFor(
    () => toldLate,
    (told) => told.length > 0,
    { what: 'the active speaker told on arrival' },
  );
  expect([a.peer_id, b.peer_id, c.peer_id]).toContain(toldLate[0]);
  await late.socket.request('upstream-leave', {});
  late.socket.close();

  // Mute is announced to the others.
  await ada!.evaluate(() => harness.setMuted('microphone', true));
  for (const page of [ben!, cy!]) {
    const state = await waitFor(
      () => page.evaluate(() => harness.messages('downstream-producer-state').at(-1)),
      (message) => message?.paused === true,
      { what: 'mute seen by others' },
    );
    expect(state).toMatchObject({ peer_id: a.peer_id, source: 'microphone', paused: true });
  }

  // Closing a producer (a share ending) closes it for the others too.
  await cy!.evaluate(() => harness.closeProducer('camera'));
  for (const page of [ada!, ben!]) {
    await waitFor(
      () =>
        page.evaluate(() => harness.messages('downstream-producer-closed').map((m) => m.peer_id)),
      (peers) => peers.includes(c.peer_id),
      { what: 'producer-closed' },
    );
    await waitFor(
      () => page.evaluate(() => harness.messages('downstream-consumer-closed').length),
      (count) => count === 1,
      { what: 'consumer-closed' },
    );
  }

  // Leaving: the others are told, and the leaver shows as online, no longer in a meeting.
  await ben!.evaluate(() => harness.leave());
  for (const page of [ada!, cy!]) {
    await waitFor(
      () => page.evaluate(() => harness.messages('downstream-peer-left').map((m) => m.peer_id)),
      (peers) => peers.includes(b.peer_id),
      { what: 'peer-left' },
    );
    await waitFor(
      () => page.evaluate(() => harness.messages('downstream-presence').at(-1)),
      (presence) => presence?.user_id === b.user_id && presence.online === '1',
      { what: "Ben's presence" },
    );
  }
  const room = host.rooms.get(a.room.room_id)!;
  expect([...room.peers.keys()].sort()).toEqual([a.peer_id, c.peer_id].sort());
  expect((await room.router.dump()).transportIds).toHaveLength(4);
});
