import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, openBlankPage } from '../../testing/browser';
import { startTestHost, type TestHost } from '../../testing/host';
import { waitFor } from '../../testing/wait';
import { answerOffer, applyAnswer, createPublisherOffer } from '../../testing/plain-peer';
import type { Room } from '../sfu/room';
import { RestDoor } from './rest-door';
import { MAX_PENDING_PER_ROOM } from './room-queue';
import { USER_INFO_MAX_BYTES, USER_INFO_MAX_DEPTH } from '../../shared/protocol/rest';

// Faults and races at the REST door, against a real host and worker: every
// bad request answers 4xx with the JSON error, and changes nothing (the
// router holds the same transports, the room the same users).

let host: TestHost;
let browser: Browser;
let publisherOffer: { type: 'offer' | 'answer'; sdp: string };

beforeAll(async () => {
  host = await startTestHost({ apiToken: 'test-token' });
  browser = await launchChromium();
  const page = await openBlankPage(browser);
  publisherOffer = await createPublisherOffer(page);
  await page.close();
});

afterAll(async () => {
  await browser?.close();
  await host?.dispose();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { status: number; body: any };

async function api(method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${host.origin}${path}`, {
    method,
    headers: {
      authorization: 'Bearer test-token',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** What a room holds: its users, and the transports and producers on its router. */
async function snapshot(roomId: string) {
  const room = host.rooms.get(roomId);
  if (!room) return { users: [], transports: 0, producers: 0 };
  const dump = await room.router.dump();
  return {
    users: [...room.peers.values()].map((peer) => peer.userId).sort(),
    transports: dump.transportIds.length,
    producers: Object.keys(dump.mapProducerIdConsumerIds).length,
  };
}

async function noRoutersLeft() {
  const [worker] = host.pool.workers;
  return waitFor(
    async () => ({
      routers: (await worker!.worker.dump()).routerIds,
      transports: (await worker!.webRtcServer.dump()).webRtcTransportIds,
    }),
    (left) => left.routers.length === 0 && left.transports.length === 0,
    { what: 'every router and transport released' },
  );
}

const badRequest = (code: string, message?: string) => ({
  status: 400,
  body: {
    error: { code, message: message ? expect.stringContaining(message) : expect.any(String) },
  },
});

/** Closes the page's `window.pc`, so the next answerOffer starts a new connection. */
const dropConnection = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { pc?: RTCPeerConnection };
    w.pc?.close();
    delete w.pc;
  });

/** Waits until the page's `window.pc` decodes video frames on the m-section `mid`. */
const decodes = (page: Page, mid: string) =>
  waitFor(
    () =>
      page.evaluate(async (mid) => {
        const stats = await (window as unknown as { pc: RTCPeerConnection }).pc.getStats();
        let frames = 0;
        stats.forEach((report: { type: string; mid?: string; framesDecoded?: number }) => {
          if (report.type === 'inbound-rtp' && report.mid === mid)
            frames = report.framesDecoded ?? 0;
        });
        return frames;
      }, mid),
    (frames) => frames > 5,
    { what: `frames decoded on a=mid:${mid}` },
  );

/** The offer's m-sections: [session part, audio part, video part] for Chromium's offer. */
function sections(sdp: string): string[] {
  return sdp.split(/(?=^m=)/m);
}

describe('userInfo is bounded', () => {
  test('5,000 levels deep: 400, no user added, and the room keeps working', async () => {
    expect((await api('POST', '/rooms/deep', { userId: 'a' })).status).toBe(200);
    const before = await snapshot('deep');

    // As text: JSON.stringify itself cannot go this deep.
    const deep = `{"userInfo":${'{"next":'.repeat(5000)}"bottom"${'}'.repeat(5000)}}`;
    expect(await api('POST', '/rooms/deep/users/b', deep)).toEqual(
      badRequest('invalid_request', `nests deeper than ${USER_INFO_MAX_DEPTH} levels`),
    );
    expect(await api('POST', '/rooms/deep', `{"userId":"c",${deep.slice(1)}`)).toMatchObject({
      status: 400,
    });
    expect(await snapshot('deep')).toEqual(before);

    // Later requests in the room are not poisoned by it.
    expect((await api('POST', '/rooms/deep/users/b', { userInfo: { n: 1 } })).status).toBe(200);
    expect((await api('DELETE', '/rooms/deep/users/b')).status).toBe(200);
    expect(await snapshot('deep')).toEqual(before);

    // The limits themselves: exactly the depth and size allowed pass, one more does not.
    const nest = (levels: number) => {
      let value: Record<string, unknown> = {};
      for (let level = 1; level < levels; level++) value = { v: value };
      return value;
    };
    expect((await api('POST', '/rooms/deep/users/d', { userInfo: nest(8) })).status).toBe(200);
    expect(await api('POST', '/rooms/deep/users/e', { userInfo: nest(9) })).toEqual(
      badRequest('invalid_request', 'nests deeper'),
    );
    const padding = (bytes: number) => ({ pad: 'x'.repeat(bytes - '{"pad":""}'.length) });
    expect(
      (await api('POST', '/rooms/deep/users/f', { userInfo: padding(USER_INFO_MAX_BYTES) })).status,
    ).toBe(200);
    expect(
      await api('POST', '/rooms/deep/users/g', { userInfo: padding(USER_INFO_MAX_BYTES + 1) }),
    ).toEqual(badRequest('invalid_request', `larger than ${USER_INFO_MAX_BYTES} bytes`));
    expect((await snapshot('deep')).users).toEqual(['a', 'd', 'f']);

    expect(await api('DELETE', '/rooms/deep')).toEqual({ status: 200, body: { count: 3 } });
    await noRoutersLeft();
  });
});

describe('the SDP bridge refuses malformed offers before anything is made', () => {
  test('duplicate MIDs and SSRCs, an answer sent as an offer, a worker refusal: 400, no transport left', async () => {
    await api('POST', '/rooms/sdp', { userId: 'pub' });
    await api('POST', '/rooms/sdp/users/sub');
    const before = await snapshot('sdp');
    const [session, audio, video] = sections(publisherOffer.sdp) as [string, string, string];
    const audioMid = /^a=mid:(.*)$/m.exec(audio)![1]!;
    const audioSsrc = /^a=ssrc:(\d+) /m.exec(audio)![1]!;
    const videoSsrcs = /^a=ssrc-group:FID (\d+) (\d+)$/m.exec(video)!;

    const produce = (sdp: string) =>
      api('POST', '/rooms/sdp/users/pub/produce', { offer: { type: 'offer', sdp } });
    const refusals: [string, string][] = [
      // Two m-sections with one MID.
      [
        session + audio + video.replace(/^a=mid:.*$/m, `a=mid:${audioMid}`),
        'more than one m-section',
      ],
      // One m-section with two a=mid lines.
      [
        session + audio + video.replace(/^a=mid:.*$/m, (line) => `${line}\r\na=mid:9`),
        'more than one a=mid',
      ],
      // The audio SSRC again in the video m-section.
      [
        session + audio + video.replaceAll(videoSsrcs[1]!, audioSsrc),
        `SSRC ${audioSsrc} is used by m-sections`,
      ],
      // RTX with the same SSRC as its media.
      [session + audio + video.replaceAll(videoSsrcs[2]!, videoSsrcs[1]!), 'twice'],
      // One a=ssrc line twice.
      [session + audio.replace(/^(a=ssrc:\d+ cname:.*)$/m, '$1\r\n$1') + video, 'given twice'],
      // An answer's DTLS role in an offer.
      [publisherOffer.sdp.replaceAll('a=setup:actpass', 'a=setup:active'), 'is this an answer'],
      [publisherOffer.sdp.replace(/^a=fingerprint:\S+/gm, 'a=fingerprint:md5'), 'algorithm'],
    ];
    for (const [sdp, message] of refusals) {
      expect(await produce(sdp), message).toEqual(badRequest('invalid_sdp', message));
      expect(await snapshot('sdp')).toEqual(before);
    }

    // Past the bridge, the worker refuses the video (an RTP extension id 0) after the
    // audio producer exists: the request is undone all the same.
    const refusedByWorker = session + audio + video.replace(/^a=extmap:\d+ /m, 'a=extmap:0 ');
    expect(await produce(refusedByWorker)).toEqual(
      badRequest('invalid_sdp', 'the media server refused the video'),
    );
    expect(await snapshot('sdp')).toEqual(before);
    expect(host.rooms.get('sdp')!.peers.size).toBe(2);

    // After all that the same user still publishes with the real offer.
    const produced = await produce(publisherOffer.sdp);
    expect(produced.status).toBe(200);
    expect(produced.body.outbound).toHaveLength(1);
    expect(await snapshot('sdp')).toMatchObject({ transports: 2, producers: 2 });

    // An offer sent as the subscriber's answer.
    const offered = produced.body.outbound[0].offer as { sdp: string };
    expect(
      await api('POST', '/rooms/sdp/users/sub/consume', {
        producerUserId: 'pub',
        answer: { type: 'answer', sdp: offered.sdp },
      }),
    ).toEqual(badRequest('invalid_sdp', 'is this an offer'));

    await api('DELETE', '/rooms/sdp');
    await noRoutersLeft();
  });
});

describe('broadcasts that stop', () => {
  let publisher: Page;
  let subscriber: Page;
  beforeAll(async () => {
    publisher = await openBlankPage(browser);
    subscriber = await openBlankPage(browser);
  });
  afterAll(async () => {
    await publisher?.close();
    await subscriber?.close();
  });

  test('consuming a stopped broadcast is a 409; the next broadcast renegotiates the same connection', async () => {
    await api('POST', '/rooms/stop', { userId: 'pub' });
    await api('POST', '/rooms/stop/users/sub');
    const produced = await api('POST', '/rooms/stop/users/pub/produce', {
      offer: await createPublisherOffer(publisher),
    });
    await applyAnswer(publisher, produced.body.answer);
    const answer = await answerOffer(subscriber, produced.body.outbound[0].offer);
    expect(
      await api('POST', '/rooms/stop/users/sub/consume', { producerUserId: 'pub', answer }),
    ).toEqual({ status: 200, body: { status: 'connected' } });
    await decodes(subscriber, '1');

    expect((await api('DELETE', '/rooms/stop/users/pub/produce')).status).toBe(200);
    const before = await snapshot('stop');
    expect(
      await api('POST', '/rooms/stop/users/sub/consume', { producerUserId: 'pub', answer }),
    ).toEqual({
      status: 409,
      body: {
        error: { code: 'conflict', message: expect.stringContaining('stopped broadcasting') },
      },
    });
    expect(await snapshot('stop')).toEqual(before);

    // It broadcasts again: the new offer keeps the old m-sections (inactive), so the
    // subscriber's RTCPeerConnection takes it as a renegotiation and receives again.
    const again = await api('POST', '/rooms/stop/users/pub/produce', {
      offer: await createPublisherOffer(publisher),
    });
    expect(again.status).toBe(200);
    await applyAnswer(publisher, again.body.answer);
    const reoffer = again.body.outbound[0].offer as { sdp: string };
    expect(reoffer.sdp.match(/^a=(inactive|sendonly)$/gm)).toEqual([
      'a=inactive',
      'a=inactive',
      'a=sendonly',
      'a=sendonly',
    ]);
    const reanswer = await answerOffer(subscriber, again.body.outbound[0].offer);
    expect(
      await api('POST', '/rooms/stop/users/sub/consume', {
        producerUserId: 'pub',
        answer: reanswer,
      }),
    ).toEqual({ status: 200, body: { status: 'connected' } });
    await decodes(subscriber, '3');

    await api('DELETE', '/rooms/stop');
    await noRoutersLeft();
  });

  test('joins racing a broadcast stop all succeed and leave a consistent room', async () => {
    await api('POST', '/rooms/race', { userId: 'pub' });
    for (let round = 0; round < 6; round++) {
      expect(
        (await api('POST', '/rooms/race/users/pub/produce', { offer: publisherOffer })).status,
      ).toBe(200);
      // Through the REST door both orders are possible; neither may fail.
      const [joined, stopped] = await Promise.all([
        api('POST', `/rooms/race/users/late-${round}`, {}),
        api('DELETE', '/rooms/race/users/pub/produce'),
      ]);
      expect([joined.status, stopped.status]).toEqual([200, 200]);
      // One who got an offer and consumes it after the stop is told the broadcast ended.
      const withOffer = joined.body.users.find((u: { offer?: unknown }) => u.offer);
      if (withOffer) {
        await dropConnection(subscriber);
        const answer = await answerOffer(subscriber, withOffer.offer);
        expect(
          (
            await api('POST', `/rooms/race/users/late-${round}/consume`, {
              producerUserId: 'pub',
              answer,
            })
          ).status,
        ).toBe(409);
      }
    }

    // The client door stops a broadcast at any moment of a join (a React client
    // turning its camera off): the join still answers 200 or 409, never 500.
    const room = host.rooms.get('race')!;
    for (let round = 0; round < 12; round++) {
      const produced = await api('POST', '/rooms/race/users/pub/produce', {
        offer: publisherOffer,
      });
      expect(produced.status).toBe(200);
      const pub = [...room.peers.values()].find((peer) => peer.userId === 'pub')!;
      const joining = api('POST', `/rooms/race/users/racer-${round}`, {});
      // Stop after a varying number of event-loop turns: before, during or after the consumers.
      for (let turn = 0; turn < round; turn++) await new Promise((r) => setImmediate(r));
      for (const producerId of [...pub.producers.keys()]) room.closeProducer(pub, producerId);
      const joined = await joining;
      expect([200, 409]).toContain(joined.status);
      await api('DELETE', '/rooms/race/users/pub/produce');
    }
    const users = (await api('GET', '/rooms/race/stats')).body.users as { userId: string }[];
    expect(users.map((u) => u.userId).sort()).toEqual((await snapshot('race')).users);
    await api('DELETE', '/rooms/race');
    await noRoutersLeft();
  });
});

describe('a room that closes under a request', () => {
  // Where the room closes (its worker died, or the client door deleted it): each
  // hook fires at one step of the request, after part of its work exists.
  type Hook = (room: Room, close: () => void) => void;
  const firstTransport: Hook = (room, close) => room.router.observer.once('newtransport', close);
  const firstProducerOrConsumer: Hook = (room, close) =>
    room.router.observer.once('newtransport', (transport) => {
      transport.observer.once('newproducer', close);
      transport.observer.once('newconsumer', close);
    });
  const cases: [string, 'join' | 'produce', Hook][] = [
    [
      'a join, once the user is announced',
      'join',
      (room, close) => room.once('peer-updated', close),
    ],
    ['a join, once its receive transport exists', 'join', firstTransport],
    ['a join, once its first consumer exists', 'join', firstProducerOrConsumer],
    ['a produce, once its transport exists', 'produce', firstTransport],
    ['a produce, once its first producer exists', 'produce', firstProducerOrConsumer],
  ];

  test.each(cases)('%s: 404 room closed, nothing left', async (_, request, hook) => {
    await api('POST', '/rooms/closing', { userId: 'pub' });
    await api('POST', '/rooms/closing/users/sub');
    if (request === 'join')
      expect(
        (await api('POST', '/rooms/closing/users/pub/produce', { offer: publisherOffer })).status,
      ).toBe(200);
    const room = host.rooms.get('closing')!;
    hook(room, () => room.close('media_restarted'));
    const reply =
      request === 'join'
        ? await api('POST', '/rooms/closing/users/late', {})
        : await api('POST', '/rooms/closing/users/pub/produce', { offer: publisherOffer });
    expect(reply).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'room closing closed during the request' } },
    });
    expect(host.rooms.get('closing')).toBeUndefined();
    await noRoutersLeft();
  });

  test('its worker is killed while requests run: no 5xx, and the door serves the next room', async () => {
    await api('POST', '/rooms/killed', { userId: 'pub' });
    await api('POST', '/rooms/killed/users/sub');
    const [worker] = host.pool.workers;
    const requests = [
      api('POST', '/rooms/killed/users/pub/produce', { offer: publisherOffer }),
      api('POST', '/rooms/killed/users/late', {}),
      api('GET', '/rooms/killed/stats'),
    ];
    process.kill(worker!.worker.pid, 'SIGKILL');
    for (const reply of await Promise.all(requests)) {
      expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(500);
      if (reply.status >= 400) expect(reply.body.error.code).toBe('not_found');
    }
    // The pool replaces the worker; a new room works end to end.
    await waitFor(
      () => api('POST', '/rooms/after-kill', { userId: 'pub' }),
      (reply) => reply.status === 200,
      { what: 'a room on the replacement worker' },
    );
    expect(
      (await api('POST', '/rooms/after-kill/users/pub/produce', { offer: publisherOffer })).status,
    ).toBe(200);
    await api('DELETE', '/rooms/after-kill');
    await noRoutersLeft();
  });

  test('a room takes a bounded number of requests at once; past it 429', async () => {
    // A door of its own over the host's rooms, to hold many requests in one tick.
    const door = new RestDoor(host.rooms, host.hub.id);
    await api('POST', '/rooms/busy', { userId: 'a' });
    const replies = await Promise.allSettled(
      Array.from({ length: MAX_PENDING_PER_ROOM + 8 }, () => door.stats('busy')),
    );
    const refused = replies.filter((reply) => reply.status === 'rejected');
    expect(refused).toHaveLength(8);
    for (const reply of refused)
      expect((reply as PromiseRejectedResult).reason).toMatchObject({ reason: 'rate_limited' });
    // Once they are done the room takes requests again.
    expect(await door.stats('busy')).toMatchObject({ users: [{ userId: 'a' }] });
    await api('DELETE', '/rooms/busy');
  });

  test('requests for one user queue behind each other: a produce twice at once is one 200 and one 409', async () => {
    await api('POST', '/rooms/twice', { userId: 'pub' });
    const replies = await Promise.all([
      api('POST', '/rooms/twice/users/pub/produce', { offer: publisherOffer }),
      api('POST', '/rooms/twice/users/pub/produce', { offer: publisherOffer }),
      api('POST', '/rooms/twice/users/x', {}),
      api('POST', '/rooms/twice/users/x', {}),
    ]);
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 409, 409]);
    expect(await snapshot('twice')).toMatchObject({ users: ['pub', 'x'], transports: 2 });
    await api('DELETE', '/rooms/twice');
    await noRoutersLeft();
  });
});
