import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  launchChromium,
  openHarnessPage,
  openSeedClientPage,
  writeHarnessWebClient,
} from '../../testing/browser';
import { startTestHost, type TestHost } from '../../testing/host';
import { waitFor } from '../../testing/wait';

// The seed's own form of the media messages (SDP offers over the WebSocket,
// seed-client.ts: plain RTCPeerConnections) in the same room as the
// mediasoup form (page-harness.ts, as the React client speaks it).

type Harness = import('../../testing/page-harness').Harness;
type SeedClient = import('../../testing/seed-client').SeedClient;
declare const harness: Harness;
declare const seedClient: SeedClient;

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

async function seedJoins(fullname: string): Promise<{ page: Page; peerId: string }> {
  const page = await openSeedClientPage(browser, host.origin);
  await page.evaluate(([hubId, invite, name]) => seedClient.join(hubId, invite, name), [
    host.hub.id,
    host.hub.inviteSecret,
    fullname,
  ] as const);
  const granted = await page.evaluate(() => seedClient.requestAccess());
  return { page, peerId: granted.peer_id as string };
}

/** Peer `id` as the harness page's last peers list shows it. */
const listedPeer = (page: Page, id: string) =>
  page.evaluate(
    (peerId) =>
      harness
        .messages('downstream-peers-list')
        .at(-1)
        ?.peers.find((p) => p.peer_id === peerId),
    id,
  );

const ufragOf = (sdp: string) => /a=ice-ufrag:(\S+)/.exec(sdp)?.[1];

test('a seed-form client and a mediasoup-form client see and hear each other, mute, add and remove tracks', async () => {
  const reactPage = await openHarnessPage(browser, host.origin);
  const joined = await reactPage.evaluate(
    ([hubId, invite]) => harness.join(hubId, invite, 'Rita'),
    [host.hub.id, host.hub.inviteSecret] as const,
  );
  const rita = await reactPage.evaluate(() => harness.requestAccess());
  await reactPage.evaluate(() => harness.publish());
  await reactPage.evaluate(() => harness.enter());
  const room = host.rooms.get(joined.room.room_id)!;

  // The seed client publishes with the seed's flags: audio 0 is a muted microphone.
  const { page: seedPage, peerId: seedId } = await seedJoins('Sid');
  const published = await seedPage.evaluate(() => seedClient.publish({ video: 1, audio: 0 }));
  expect(published.map(({ kind, source, paused }) => ({ kind, source, paused }))).toEqual([
    { kind: 'audio', source: 'microphone', paused: true },
    { kind: 'video', source: 'camera', paused: false },
  ]);
  await seedPage.evaluate(() => seedClient.enter());

  // Everyone gets the peers list; the mediasoup-form client receives the seed client.
  const seedPeer = await waitFor(
    () => listedPeer(reactPage, seedId),
    (peer) => (peer?.producers.length ?? 0) === 2,
    { what: 'the seed client in the peers list' },
  );
  expect(seedPeer!.producers.find((p) => p.kind === 'audio')!.paused).toBe(true);
  await reactPage.evaluate((id) => harness.consume(id), seedId);
  await waitFor(
    () => reactPage.evaluate(() => harness.framesDecoded()),
    (frames) => Object.values(frames).some((n) => n > 5),
    { what: 'the mediasoup-form client decoding the seed client' },
  );

  // The seed client receives Rita on a receive-only connection of its own.
  const streams = await seedPage.evaluate((id) => seedClient.receive(id), rita.peer_id);
  expect(streams.map((s) => s.source).sort()).toEqual(['camera', 'microphone']);
  await waitFor(
    () => seedPage.evaluate(() => seedClient.stats()),
    (stats) =>
      (stats[rita.peer_id]?.frames[0] ?? 0) > 5 && (stats[rita.peer_id]?.audioBytes ?? 0) > 1000,
    { what: 'the seed client decoding video and receiving audio from Rita' },
  );

  // Unmuting by the seed's flags (a renegotiation of the same connection) reaches the others.
  const producersBefore = room.peers.get(seedId)!.producers.size;
  await seedPage.evaluate(() => seedClient.offer({ video: 1, audio: 1 }));
  expect(room.peers.get(seedId)!.producers.size).toBe(producersBefore);
  await waitFor(
    () => reactPage.evaluate(() => harness.messages('downstream-producer-state')),
    (states) => states.some((s) => s.peer_id === seedId && s.source === 'microphone' && !s.paused),
    { what: 'the seed client unmuted' },
  );
  await waitFor(
    () => seedPage.evaluate(() => seedClient.sent()),
    (sent) => sent.audio > 2000,
    { what: 'the seed client sending audio' },
  );

  // A track added by renegotiation (a screen), then Rita's camera removed: the
  // seed client renegotiates its receive connection from the peers list.
  const withScreen = await seedPage.evaluate(() => seedClient.addScreen({ video: 1, audio: 1 }));
  expect(withScreen.map((s) => s.source)).toEqual(['microphone', 'camera', 'screen']);
  await waitFor(
    async () => (await listedPeer(reactPage, seedId))?.producers.map((p) => p.source),
    (sources) => sources?.includes('screen') === true,
    { what: 'the screen in the peers list' },
  );
  // The screen removed again: its producer closes for everyone.
  const screenId = withScreen.find((s) => s.source === 'screen')!.producer_id;
  const remaining = await seedPage.evaluate(() => seedClient.removeScreen({ video: 1, audio: 1 }));
  expect(remaining.map((s) => s.source)).toEqual(['microphone', 'camera']);
  await waitFor(
    () => reactPage.evaluate(() => harness.messages('downstream-producer-closed')),
    (closed) => closed.some((c) => c.producer_id === screenId),
    { what: 'the screen closed for the others' },
  );

  // The seed's upstream-icecandidate (its example's shape) is acknowledged: the host is
  // ICE-lite, its own candidates are in its answers.
  const seedOutbound = await seedPage.evaluate(() => seedClient.outboundId);
  const ack = await seedPage.evaluate(
    (outbound) =>
      seedClient.request('upstream-icecandidate', {
        outbound_id: outbound,
        inbound_id: null,
        peer_id: outbound,
        candidate: {
          candidate:
            'candidate:2026329132 1 udp 2122260223 192.168.0.129 57558 typ host generation 0 ufrag dZzI network-id 1 network-cost 10',
          sdpMid: '0',
          sdpMLineIndex: 0,
        },
      }),
    seedOutbound,
  );
  expect(Object.keys(ack)).toEqual(['cid']);
  expect(await seedPage.evaluate(() => seedClient.send!.remoteDescription!.sdp)).toMatch(
    /a=candidate:.* typ host/,
  );

  await reactPage.evaluate(() => harness.closeProducer('camera'));
  await waitFor(
    () =>
      seedPage.evaluate(
        (id) => seedClient.receptions.get(id)!.streams.map((s) => s.source),
        rita.peer_id,
      ),
    (sources) => sources.length === 1 && sources[0] === 'microphone',
    { what: 'the seed client renegotiated without the camera' },
  );

  // An ICE restart on the send connection: new credentials both ways, media keeps flowing.
  const before = ufragOf(await seedPage.evaluate(() => seedClient.send!.remoteDescription!.sdp));
  await seedPage.evaluate(async () => {
    seedClient.send!.restartIce();
    await seedClient.offer({ video: 1, audio: 1 });
  });
  const after = ufragOf(await seedPage.evaluate(() => seedClient.send!.remoteDescription!.sdp));
  expect(after).not.toBe(before);
  const sentBefore = await seedPage.evaluate(() => seedClient.sent());
  await waitFor(
    () => seedPage.evaluate(() => seedClient.sent()),
    (sent) => sent.video > sentBefore.video + 10_000,
    { what: 'video still sent after the ICE restart' },
  );

  // Leaving closes every connection of the seed client.
  const transports = (await room.router.dump()).transportIds.length;
  await seedPage.evaluate(() => seedClient.request('upstream-leave', {}));
  await waitFor(
    async () => (await room.router.dump()).transportIds.length,
    // Its two mediasoup-form transports, its send link, and its receive link.
    (count) => count === transports - 4,
    { what: "the seed client's transports closed" },
  );
  await seedPage.close();
  await reactPage.close();
});

/** What the room's router holds: transports, and which consumers each producer has. */
async function mediaSnapshot(roomId: string) {
  const dump = await host.rooms.get(roomId)!.router.dump();
  return {
    transports: [...dump.transportIds].sort(),
    producers: dump.mapProducerIdConsumerIds
      .map(({ key, values }) => `${key}:${[...values].sort().join(',')}`)
      .sort(),
  };
}

/** An offer from a fresh RTCPeerConnection in `page`: sending the fake devices, or receiving audio and video. */
function browserOffer(page: Page, direction: 'send' | 'recv'): Promise<string> {
  return page.evaluate(async (recv) => {
    const pc = new RTCPeerConnection();
    if (recv) {
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.addTransceiver('video', { direction: 'recvonly' });
    } else {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly' });
    }
    return (await pc.createOffer()).sdp!;
  }, direction === 'recv');
}

test('bad seed-form offers get a clear downstream-error and leave nothing behind', async () => {
  const { page: sid } = await seedJoins('Sid Bad');
  const { page: otto, peerId: ottoId } = await seedJoins('Otto');
  const ottoOutbound = await otto.evaluate(async () => {
    await seedClient.publish({ video: 1, audio: 1 });
    await seedClient.enter();
    return seedClient.outboundId;
  });
  await sid.evaluate(() => seedClient.enter());
  const room = host.rooms.get(await otto.evaluate(() => seedClient.roomId))!;
  const send = await browserOffer(sid, 'send');
  const recv = await browserOffer(sid, 'recv');
  const audioSsrc = /m=audio[\s\S]*?a=ssrc:(\d+)/.exec(send)![1]!;
  const videoSsrc = /m=video[\s\S]*?a=ssrc:(\d+)/.exec(send)![1]!;
  const noCodec = (sdp: string) =>
    sdp.replace(/a=rtpmap:(\d+) (?!rtx)[\w-]+\//g, 'a=rtpmap:$1 NOPE/');

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['upstream-offer', { sdpOffer: 'hello' }, 'invalid_message', /not an SDP/],
    [
      'upstream-offer',
      { sdpOffer: send.replace(/a=setup:actpass/g, 'a=setup:active') },
      'invalid_message',
      /is this an answer/,
    ],
    [
      'upstream-offer',
      { sdpOffer: noCodec(send) },
      'invalid_message',
      /no audio or video the host can route/,
    ],
    [
      'upstream-offer',
      { sdpOffer: send.replace('a=mid:1', 'a=mid:0') },
      'invalid_message',
      /a=mid:0 is used by more than one m-section/,
    ],
    [
      'upstream-offer',
      { sdpOffer: send.replaceAll(`a=ssrc:${videoSsrc} `, `a=ssrc:${audioSsrc} `) },
      'invalid_message',
      /SSRC \d+ is used by m-sections 1 and 2/,
    ],
    [
      'upstream-offer',
      { outbound_id: ottoOutbound, sdpOffer: send },
      'forbidden',
      /another participant/,
    ],
    [
      'downstream-offer',
      { peer_id: ottoId, sdpOffer: recv.replace(/a=setup:actpass/g, 'a=setup:passive') },
      'invalid_message',
      /is this an answer/,
    ],
    [
      'downstream-offer',
      { peer_id: ottoId, sdpOffer: noCodec(recv) },
      'invalid_message',
      /receives no audio codec the host sends/,
    ],
    [
      'downstream-offer',
      { peer_id: ottoId, inbound_id: ottoOutbound, sdpOffer: recv },
      'forbidden',
      /another participant/,
    ],
  ];
  const before = await mediaSnapshot(room.id);
  for (const [name, payload, reason, message] of cases) {
    const sent = { outbound_id: 'sid-send', inbound_id: null, video: 1, audio: 1, ...payload };
    await expect(
      sid.evaluate(([n, p]) => seedClient.request(n, p), [name, sent] as const),
    ).rejects.toThrow();
    const error = await sid.evaluate(() => seedClient.errors.at(-1)!);
    expect(error.name, name).toBe('meeting.downstream-error');
    expect(error.reason, JSON.stringify(error)).toBe(reason);
    expect(error.message).toMatch(message);
    expect(await mediaSnapshot(room.id)).toEqual(before);
  }

  // A bad renegotiation leaves the connection as it was: same producers, still sending.
  const published = await sid.evaluate(() => seedClient.publish({ video: 1, audio: 1 }));
  const working = await mediaSnapshot(room.id);
  const sidOutbound = await sid.evaluate(() => seedClient.outboundId);
  await expect(
    sid.evaluate(
      ([id, sdp]) =>
        seedClient.request('upstream-offer', {
          outbound_id: id,
          video: 1,
          audio: 1,
          sdpOffer: sdp,
        }),
      [sidOutbound, noCodec(send)] as const,
    ),
  ).rejects.toThrow(/invalid_message/);
  expect(await mediaSnapshot(room.id)).toEqual(working);
  expect(room.peers.get(await sid.evaluate(() => seedClient.peerId))!.producers.size).toBe(
    published.length,
  );
  await sid.close();
  await otto.close();
});
