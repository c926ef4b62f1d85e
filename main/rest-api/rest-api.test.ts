import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  launchChromium,
  openBlankPage,
  openHarnessPage,
  writeHarnessWebClient,
} from '../../testing/browser';
import { startTestHost, type TestHost } from '../../testing/host';
import { openRestEvents } from '../../testing/rest-events';
import { waitFor } from '../../testing/wait';
import {
  answerOffer,
  applyAnswer,
  createPublisherOffer,
  plainFramesDecoded,
} from '../../testing/plain-peer';
import { MAX_STREAMS_PER_ROOM } from './event-streams';

// The seed-002 door with real peers: plain RTCPeerConnection pages publish
// and receive through SDP offer/answer, in the same rooms as React clients.

type Harness = import('../../testing/page-harness').Harness;
declare const harness: Harness;

let host: TestHost;
let browser: Browser;

beforeAll(async () => {
  host = await startTestHost({
    webClientDir: await writeHarnessWebClient(),
    apiToken: 'test-token',
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.dispose();
});

async function api(method: string, path: string, body?: unknown, token = 'test-token') {
  const response = await fetch(`${host.origin}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any };
}

const decodesVideo = (page: Page, count = 1) =>
  waitFor(
    () => plainFramesDecoded(page),
    (frames) => frames.length === count && frames.every((n) => n > 0),
    {
      what: 'decoded frames',
    },
  ).then((first) =>
    waitFor(
      () => plainFramesDecoded(page),
      (frames) => frames.every((n, i) => n > first[i]!),
      { what: 'more frames' },
    ),
  );

async function orphans() {
  const [worker] = host.pool.workers;
  return {
    routers: (await worker!.worker.dump()).routerIds,
    transports: (await worker!.webRtcServer.dump()).webRtcTransportIds,
  };
}

describe('two plain WebRTC peers through the REST API', () => {
  test('one publishes, the other receives through the outbound offer; stats and every DELETE', async () => {
    const created = await api('POST', '/rooms/rest-room', {
      userId: 1,
      userInfo: { contactId: 11 },
    });
    expect(created).toEqual({
      status: 200,
      body: { roomId: 'rest-room', userId: '1', users: [], userInfo: { contactId: 11 } },
    });
    const added = await api('POST', '/rooms/rest-room/users/2', { userInfo: { contactId: 22 } });
    expect(added.body).toEqual({
      userId: '2',
      userInfo: { contactId: 22 },
      users: [{ userId: '1', userInfo: { contactId: 11 } }],
    });

    const publisher = await openBlankPage(browser);
    const offer = await createPublisherOffer(publisher);
    const produced = await api('POST', '/rooms/rest-room/users/1/produce', { offer });
    expect(produced.status).toBe(200);
    expect(produced.body).toMatchObject({
      userId: '1',
      userInfo: { contactId: 11 },
      constraints: { audio: true, video: true },
    });
    expect(produced.body.answer.sdp).toContain('a=ice-lite');
    expect(produced.body.outbound).toHaveLength(1);
    expect(produced.body.outbound[0]).toMatchObject({
      userId: '2',
      userInfo: { contactId: 22 },
      offer: { type: 'offer' },
    });
    await applyAnswer(publisher, produced.body.answer);

    const subscriber = await openBlankPage(browser);
    const answer = await answerOffer(subscriber, produced.body.outbound[0].offer);
    expect(
      await api('POST', '/rooms/rest-room/users/2/consume', { producerUserId: '1', answer }),
    ).toEqual({
      status: 200,
      body: { status: 'connected' },
    });
    await decodesVideo(subscriber);

    // A third user added now gets the broadcaster with an offer and its constraints.
    const late = await api('POST', '/rooms/rest-room/users/3', {});
    expect(late.body.users).toContainEqual(
      expect.objectContaining({
        userId: '1',
        constraints: { audio: true, video: true },
        offer: expect.objectContaining({ type: 'offer' }),
      }),
    );

    const stats = await waitFor(
      async () =>
        (await api('GET', '/rooms/rest-room/stats')).body.users as {
          userId: string;
          produce: { bytesReceived: number } | false;
          consume: { bytesSent: number; consumeTransportCount: number };
        }[],
      (users) => users.find((u) => u.userId === '2')!.consume.bytesSent > 0,
      { what: 'bytes in stats' },
    );
    expect(stats.find((u) => u.userId === '1')!.produce).toMatchObject({ producerCount: 2 });
    expect(
      (stats.find((u) => u.userId === '1')!.produce as { bytesReceived: number }).bytesReceived,
    ).toBeGreaterThan(0);
    expect(stats.find((u) => u.userId === '2')).toMatchObject({
      produce: false,
      consume: { consumeTransportCount: 1 },
    });

    const stopped = await api('DELETE', '/rooms/rest-room/users/1/produce');
    expect(stopped.body).toEqual({
      userId: '1',
      userInfo: { contactId: 11 },
      constraints: { audio: false, video: false },
      outbound: [
        { userId: '2', userInfo: { contactId: 22 } },
        { userId: '3', userInfo: {} },
      ],
    });
    expect(
      (await api('GET', '/rooms/rest-room/stats')).body.users.find(
        (u: { userId: string }) => u.userId === '1',
      ).produce,
    ).toBe(false);

    const removed = await api('DELETE', '/rooms/rest-room/users/3');
    expect(removed.body).toEqual({
      userId: '3',
      userInfo: {},
      outbound: [
        { userId: '1', userInfo: { contactId: 11 } },
        { userId: '2', userInfo: { contactId: 22 } },
      ],
    });
    // The room goes away with its last user.
    await api('DELETE', '/rooms/rest-room/users/1');
    await api('DELETE', '/rooms/rest-room/users/2');
    expect((await api('GET', '/rooms/rest-room/stats')).status).toBe(404);

    // DELETE /rooms/:id counts the users it removed; a room created without an id gets one.
    const generated = await api('POST', '/rooms', { userId: 'a' });
    expect(generated.body.roomId).toMatch(/^[0-9a-f-]{36}$/);
    await api('POST', `/rooms/${generated.body.roomId}/users/b`);
    expect(await api('DELETE', `/rooms/${generated.body.roomId}`)).toEqual({
      status: 200,
      body: { count: 2 },
    });
    await publisher.close();
    await subscriber.close();
    expect(
      await waitFor(orphans, (left) => left.routers.length === 0, { what: 'routers released' }),
    ).toEqual({ routers: [], transports: [] });
  });

  test('a simulcast offer is taken with its RIDs', async () => {
    await api('POST', '/rooms/simulcast-room', { userId: 'caster' });
    const page = await openBlankPage(browser);
    const offer = await createPublisherOffer(page, { simulcast: true, audio: false });
    const produced = await api('POST', '/rooms/simulcast-room/users/caster/produce', { offer });
    expect(produced.status).toBe(200);
    expect(produced.body.constraints).toEqual({ audio: false, video: true });
    expect(produced.body.answer.sdp).toMatch(/a=simulcast:recv q;h;f/);
    await applyAnswer(page, produced.body.answer);
    const room = host.rooms.get('simulcast-room')!;
    const producer = [...[...room.peers.values()][0]!.producers.values()][0]!;
    expect(producer.type).toBe('simulcast');
    expect(producer.rtpParameters.encodings!.map((e) => e.rid)).toEqual(['q', 'h', 'f']);
    await waitFor(
      async () => (await producer.getStats()).filter((s) => s.byteCount > 0).length,
      (n) => n >= 2,
      {
        what: 'several simulcast layers arriving',
      },
    );
    await api('DELETE', '/rooms/simulcast-room');
    await page.close();
  });

  test('constraints given with the offer pause that kind', async () => {
    await api('POST', '/rooms/muted-room', { userId: 'quiet' });
    const page = await openBlankPage(browser);
    const offer = await createPublisherOffer(page);
    const produced = await api('POST', '/rooms/muted-room/users/quiet/produce', {
      offer,
      constraints: { audio: false, video: true },
    });
    expect(produced.body.constraints).toEqual({ audio: false, video: true });
    const producers = [...[...host.rooms.get('muted-room')!.peers.values()][0]!.producers.values()];
    expect(Object.fromEntries(producers.map((p) => [p.kind, p.paused]))).toEqual({
      audio: true,
      video: false,
    });
    await api('DELETE', '/rooms/muted-room');
    await page.close();
  });
});

/** A harness page (the client door's protocol, as the React client speaks it) signed up and bound to the hub's room. */
async function harnessJoins(fullname: string) {
  const reactPage = await openHarnessPage(browser, host.origin);
  const joined = await reactPage.evaluate(
    ([hubId, invite, name]) => harness.join(hubId, invite, name),
    [host.hub.id, host.hub.inviteSecret, fullname] as const,
  );
  return { reactPage, joined };
}

test('REST peers and React clients share a room both ways', async () => {
  const { reactPage, joined } = await harnessJoins('React Rita');
  const roomId = joined.room.room_id;
  await reactPage.evaluate(() => harness.requestAccess());
  await reactPage.evaluate(() => harness.publish());
  await reactPage.evaluate(() => harness.enter());

  // A REST publisher in the same room: the React client sees it in peers-list and receives it.
  expect(
    (await api('POST', `/rooms/${roomId}/users/rest-pub`, { userInfo: { name: 'Rest Pub' } }))
      .status,
  ).toBe(200);
  const publisher = await openBlankPage(browser);
  const produced = await api('POST', `/rooms/${roomId}/users/rest-pub/produce`, {
    offer: await createPublisherOffer(publisher),
  });
  await applyAnswer(publisher, produced.body.answer);
  const restPeer = await waitFor(
    () =>
      reactPage.evaluate(() =>
        harness
          .messages('downstream-peers-list')
          .at(-1)
          ?.peers.find((p) => p.user_id === 'rest-pub'),
      ),
    (peer) => (peer?.producers.length ?? 0) === 2,
    { what: 'REST publisher in peers-list' },
  );
  expect(restPeer!.fullname).toBe('Rest Pub');
  await reactPage.evaluate((peerId) => harness.consume(peerId), restPeer!.peer_id);
  await waitFor(
    () => reactPage.evaluate(() => harness.framesDecoded()),
    (frames) => Object.values(frames).some((n) => n > 5),
    {
      what: 'React client decoding the REST publisher',
    },
  );

  // A REST consumer receives the React client's camera through the offer in `users`.
  const added = await api('POST', `/rooms/${roomId}/users/rest-sub`, {});
  const rita = added.body.users.find((u: { userId: string }) => u.userId === joined.user_id);
  expect(rita).toMatchObject({
    userInfo: { fullname: 'React Rita' },
    constraints: { audio: true, video: true },
  });
  const subscriber = await openBlankPage(browser);
  const answer = await answerOffer(subscriber, rita.offer);
  expect(
    (
      await api('POST', `/rooms/${roomId}/users/rest-sub/consume`, {
        producerUserId: joined.user_id,
        answer,
      })
    ).body,
  ).toEqual({
    status: 'connected',
  });
  await decodesVideo(subscriber);

  // The REST publisher stops: the React client is told.
  await api('DELETE', `/rooms/${roomId}/users/rest-pub/produce`);
  await waitFor(
    () => reactPage.evaluate(() => harness.messages('downstream-producer-closed').length),
    (count) => count === 2,
    { what: 'producer-closed for both REST tracks' },
  );
  for (const page of [reactPage, publisher, subscriber]) await page.close();
  for (const userId of ['rest-pub', 'rest-sub'])
    await api('DELETE', `/rooms/${roomId}/users/${userId}`);
  await waitFor(
    () => host.rooms.get(roomId),
    (room) => room === undefined,
    { what: 'the shared room to close' },
  );
});

describe('bad requests get a JSON error and a 4xx; nothing is left behind', () => {
  test('auth, unknown rooms and users, bad SDP, wrong order', async () => {
    expect(await api('GET', '/rooms/x/stats', undefined, '')).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized' } },
    });
    expect((await api('GET', '/rooms/x/stats', undefined, 'wrong')).status).toBe(401);
    expect(await api('GET', '/rooms/nope/stats')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect((await api('POST', '/rooms/nope/users/1')).status).toBe(404);

    const noMedia = 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n';
    await api('POST', '/rooms/strict', { userId: 'u1' });
    expect(await api('POST', '/rooms/strict/users/u1')).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict' } },
    });
    expect(
      (
        await api('POST', '/rooms/strict/users/ghost/produce', {
          offer: { type: 'offer', sdp: noMedia },
        })
      ).status,
    ).toBe(404);
    expect(await api('POST', '/rooms/strict/users/u1', '{"userInfo":')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request' } },
    });
    expect(
      await api('POST', '/rooms/strict/users/u1/produce', {
        offer: { type: 'answer', sdp: 'v=0 whatever' },
      }),
    ).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request' } },
    });
    expect(
      await api('POST', '/rooms/strict/users/u1/produce', {
        offer: { type: 'offer', sdp: 'this is not sdp at all' },
      }),
    ).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_sdp' } },
    });
    expect(
      (
        await api('POST', '/rooms/strict/users/u1/produce', {
          offer: { type: 'offer', sdp: noMedia },
        })
      ).body.error.code,
    ).toBe('invalid_sdp');
    const unroutable =
      noMedia +
      'a=fingerprint:sha-256 AA:BB\r\nm=video 9 UDP/TLS/RTP/SAVPF 120\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\na=rtpmap:120 AV1X/90000\r\n';
    expect(
      await api('POST', '/rooms/strict/users/u1/produce', {
        offer: { type: 'offer', sdp: unroutable },
      }),
    ).toMatchObject({
      status: 400,
      body: {
        error: { code: 'invalid_sdp', message: expect.stringContaining('no audio or video') },
      },
    });

    // Consuming someone who never broadcast.
    await api('POST', '/rooms/strict/users/u2');
    const answer = { type: 'answer', sdp: noMedia };
    expect(
      await api('POST', '/rooms/strict/users/u2/consume', { producerUserId: 'u1', answer }),
    ).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict' } },
    });

    // Producing twice.
    const page = await openBlankPage(browser);
    const offer = await createPublisherOffer(page);
    expect((await api('POST', '/rooms/strict/users/u1/produce', { offer })).status).toBe(200);
    expect((await api('POST', '/rooms/strict/users/u1/produce', { offer })).status).toBe(409);
    await page.close();

    expect(await api('DELETE', '/rooms/strict')).toEqual({ status: 200, body: { count: 2 } });
    expect(
      await waitFor(orphans, (left) => left.routers.length === 0, { what: 'routers released' }),
    ).toEqual({ routers: [], transports: [] });
  });
});

// GET /rooms/:room_id/events: a REST user learns of a React client who starts
// publishing after it joined, and receives it through the offer in the event.

/** The room's event stream on this test's host. */
const openEvents = (roomId: string, token = 'test-token', origin = host.origin) =>
  openRestEvents(origin, roomId, token);

test('a REST subscriber learns of a React client publishing after it joined, and receives it', async () => {
  const { reactPage, joined } = await harnessJoins('React Rosa');
  const roomId = joined.room.room_id;
  // The REST subscriber is in the room first, and listens.
  expect((await api('POST', `/rooms/${roomId}`, { userId: 'rest-sub' })).status).toBe(200);
  const stream = await openEvents(roomId);
  expect(stream.type).toMatch(/^text\/event-stream/);

  await reactPage.evaluate(() => harness.requestAccess());
  await reactPage.evaluate(() => harness.publish());
  await reactPage.evaluate(() => harness.enter());
  expect(await stream.next('user-joined', (d) => d.userId === joined.user_id)).toEqual({
    userId: joined.user_id,
    userInfo: { fullname: 'React Rosa' },
  });
  const published = await stream.next(
    'user-published',
    (d) => d.userId === joined.user_id && !!d.offers['rest-sub']?.sdp.includes('m=video'),
  );
  expect(published.constraints).toEqual({ audio: true, video: true });

  const subscriber = await openBlankPage(browser);
  const answer = await answerOffer(subscriber, published.offers['rest-sub']!);
  expect(
    await api('POST', `/rooms/${roomId}/users/rest-sub/consume`, {
      producerUserId: joined.user_id,
      answer,
    }),
  ).toEqual({ status: 200, body: { status: 'connected' } });
  await decodesVideo(subscriber);

  // A REST publisher: its broadcast carries the offers its `outbound` had; then it stops and leaves.
  await api('POST', `/rooms/${roomId}/users/rest-pub`, { userInfo: { name: 'Pub' } });
  expect(await stream.next('user-joined', (d) => d.userId === 'rest-pub')).toEqual({
    userId: 'rest-pub',
    userInfo: { name: 'Pub' },
  });
  const publisher = await openBlankPage(browser);
  const produced = await api('POST', `/rooms/${roomId}/users/rest-pub/produce`, {
    offer: await createPublisherOffer(publisher),
  });
  await applyAnswer(publisher, produced.body.answer);
  const restPublished = await stream.next('user-published', (d) => d.userId === 'rest-pub');
  expect(restPublished).toMatchObject({
    userInfo: { name: 'Pub' },
    constraints: { audio: true, video: true },
  });
  expect(Object.keys(restPublished.offers)).toEqual(['rest-sub']);
  expect(restPublished.offers['rest-sub']).toEqual(produced.body.outbound[0].offer);
  await api('DELETE', `/rooms/${roomId}/users/rest-pub/produce`);
  expect(await stream.next('user-unpublished', (d) => d.userId === 'rest-pub')).toEqual({
    userId: 'rest-pub',
    userInfo: { name: 'Pub' },
  });
  await api('DELETE', `/rooms/${roomId}/users/rest-pub`);
  await stream.next('user-left', (d) => d.userId === 'rest-pub');
  expect(stream.events.filter((e) => e.event === 'user-unpublished')).toHaveLength(1);

  // Deleting the room ends the stream with room-closed.
  expect((await api('DELETE', `/rooms/${roomId}`)).status).toBe(200);
  expect(await stream.next('room-closed')).toEqual({ reason: 'room_deleted' });
  await waitFor(stream.ended, (ended) => ended, { what: 'the stream to end' });
  for (const page of [reactPage, subscriber, publisher]) await page.close();
});

describe('refusals', () => {
  test('401 without the token, 404 for an unknown room', async () => {
    const noToken = await openEvents('anything', '');
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const unknown = await openEvents('no-such-room');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  test(`a room holds ${MAX_STREAMS_PER_ROOM} streams; the next is 429 until one closes`, async () => {
    await api('POST', '/rooms/busy', { userId: 'u' });
    const streams = await Promise.all(
      Array.from({ length: MAX_STREAMS_PER_ROOM }, () => openEvents('busy')),
    );
    expect(streams.map((s) => s.status)).toEqual(Array(MAX_STREAMS_PER_ROOM).fill(200));
    const extra = await openEvents('busy');
    expect(extra.status).toBe(429);
    expect(await extra.json()).toMatchObject({ error: { code: 'rate_limited' } });
    streams[0]!.close();
    const again = await waitFor(
      () => openEvents('busy'),
      (s) => s.status === 200,
      { what: 'a free stream slot' },
    );
    // The last user leaving closes the room: every stream ends with room-closed.
    await api('DELETE', '/rooms/busy/users/u');
    for (const stream of [again, ...streams.slice(1)]) {
      expect(await stream.next('room-closed')).toEqual({ reason: 'empty' });
      await waitFor(stream.ended, (ended) => ended, { what: 'the stream to end' });
    }
  });
});

test('a host that stops ends its streams with room-closed, and does not wait for them', async () => {
  const other = await startTestHost({ apiToken: 'test-token' });
  try {
    const created = await fetch(`${other.origin}/rooms/stopping`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u' }),
    });
    expect(created.status).toBe(200);
    const stream = await openEvents('stopping', 'test-token', other.origin);
    expect(stream.status).toBe(200);
    await other.dispose();
    expect(await stream.next('room-closed')).toEqual({ reason: 'host_stopped' });
    await waitFor(stream.ended, (ended) => ended, { what: 'the stream to end' });
  } finally {
    await other.dispose();
  }
});
