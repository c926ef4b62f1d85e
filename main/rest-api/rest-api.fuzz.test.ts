import { request as httpRequest } from 'node:http';
import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, openBlankPage } from '../../testing/browser';
import { startTestHost, type TestHost } from '../../testing/host';
import { waitFor } from '../../testing/wait';
import {
  answerOffer,
  applyAnswer,
  createPublisherOffer,
  plainFramesDecoded,
} from '../../testing/plain-peer';

// A bounded fuzz run of the REST door: 2,500 requests from a fixed seed, valid
// ones mixed with mutated bodies, paths, methods and SDPs, sent a few at a
// time against one real host and worker. Whatever arrives, the door answers
// 4xx with its documented JSON error (never 5xx, never another shape), and
// afterwards it still carries a real call and has leaked no transport.

const SEED = 0x5eed_0002;
const REQUESTS = 2_500;
/** The most requests in flight at once (a batch). */
const MAX_BATCH = 6;

/** mulberry32: a tiny seeded PRNG, so every run sends the same requests. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(SEED);
const int = (max: number) => Math.floor(random() * max);
const chance = (p: number) => random() < p;
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

/** Documented error codes by status (docs/rest-api.md). */
const CODES: Record<number, string[]> = {
  400: ['invalid_request', 'invalid_sdp'],
  401: ['unauthorized'],
  404: ['not_found'],
  409: ['conflict'],
  413: ['invalid_request'],
  415: ['invalid_request'],
  429: ['rate_limited'],
};

interface FuzzRequest {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  token?: string;
  /** What was mutated, for the failure message. */
  what: string;
}

let host: TestHost;
let browser: Browser;
let offers: { plain: string; simulcast: string; videoOnly: string };
let answer: string;

beforeAll(async () => {
  host = await startTestHost({ apiToken: 'fuzz-token' });
  host.rooms.onRoomCreated((room) => touchedRooms.add(room.id));
  browser = await launchChromium();
  const page = await openBlankPage(browser);
  offers = {
    plain: (await createPublisherOffer(page)).sdp,
    simulcast: (await createPublisherOffer(page, { simulcast: true })).sdp,
    videoOnly: (await createPublisherOffer(page, { audio: false })).sdp,
  };
  // A real answer to one of the host's offers, reused (and mutated) for every consume.
  await send({ method: 'POST', path: '/rooms/seed', body: '{"userId":"a"}', what: '' });
  await send({ method: 'POST', path: '/rooms/seed/users/b', body: '{}', what: '' });
  const produced = await send({
    method: 'POST',
    path: '/rooms/seed/users/a/produce',
    body: JSON.stringify({ offer: { type: 'offer', sdp: offers.plain } }),
    what: '',
  });
  const receiver = await openBlankPage(browser);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  answer = (await answerOffer(receiver, (produced.json as any).outbound[0].offer)).sdp;
  await send({ method: 'DELETE', path: '/rooms/seed', what: '' });
  await page.close();
  await receiver.close();
});

afterAll(async () => {
  await browser?.close();
  await host?.dispose();
});

/** Sends with node:http, which (unlike fetch) sends any method with a body, as a client may. */
function send(request: FuzzRequest) {
  const headers: Record<string, string> = {};
  if (request.token !== '') headers.authorization = `Bearer ${request.token ?? 'fuzz-token'}`;
  if (request.body !== undefined) {
    headers['content-type'] = request.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(request.body));
  }
  return new Promise<{
    status: number;
    contentType: string | undefined;
    text: string;
    json: unknown;
  }>((resolve, reject) => {
    const outgoing = httpRequest(
      `${host.origin}${request.path}`,
      { method: request.method, headers, timeout: 15_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'],
            text,
            json,
          });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () =>
      outgoing.destroy(new Error(`no answer to ${request.method} ${request.path}`)),
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

// ---- The generator -------------------------------------------------------

const ROOMS = ['f0', 'f1'];
const USERS = ['1', '2', '3', '4'];
/** Every room the run created (recorded by the host), to delete them all at the end. */
const touchedRooms = new Set<string>();

function randomText(length: number): string {
  let text = '';
  for (let i = 0; i < length; i++)
    text += String.fromCharCode(
      chance(0.8) ? 32 + int(95) : chance(0.5) ? int(32) : 128 + int(2000),
    );
  return text;
}

function roomId(): string {
  if (chance(0.95)) return pick(ROOMS);
  const id = pick([
    () => randomText(1 + int(12)),
    () => 'x'.repeat(90 + int(20)),
    // Not '.' or '..': fetch resolves them away before anything is sent.
    () => pick(['%2F', '%00', '%E0%A4%A', '%25', 'ü', '🙂', ' ', '?', '#']),
    () => String(int(1e6)),
  ])();
  return /%/.test(id) ? id : encodeURIComponent(id);
}

function userId(): string {
  if (chance(0.9)) return pick(USERS);
  return encodeURIComponent(pick([() => randomText(1 + int(8)), () => 'u'.repeat(95 + int(10))])());
}

function nested(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** A JSON value of a random wrong type. */
function wrongValue(): unknown {
  return pick<() => unknown>([
    () => null,
    () => int(1e9) - 5e8,
    () => 1.5,
    () => -0,
    () => true,
    () => [],
    () => [1, 'two', null],
    () => ({}),
    () => ({ nested: { deeper: [1] } }),
    () => '',
    () => randomText(int(40)),
    () => 'x'.repeat(200),
    () => 2 ** 53 + 2,
  ])();
}

function userInfo(): unknown {
  return pick<() => unknown>([
    () => ({ name: `Fuzz ${int(100)}` }),
    () => ({ contactId: int(1000), tags: ['a', 'b'] }),
    () => ({}),
    () => ({ pad: 'p'.repeat(8200) }),
    () => ({ a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } }),
    () => wrongValue(),
  ])();
}

/** Line-level and structural damage to an SDP. */
function mutateSdp(sdp: string): { sdp: string; what: string } {
  let lines = sdp.split('\r\n').filter((line) => line !== '');
  const done: string[] = [];
  const rounds = 1 + int(3);
  for (let round = 0; round < rounds; round++) {
    const at = int(lines.length);
    const mutation = pick([
      'truncate',
      'duplicate-line',
      'delete-line',
      'swap-lines',
      'random-line',
      'duplicate-m-section',
      'mid-collision',
      'ssrc-collision',
      'setup',
      'fingerprint',
      'number',
      'inject',
      'port-zero',
      'lf-only',
    ] as const);
    done.push(mutation);
    switch (mutation) {
      case 'truncate':
        lines = lines.join('\r\n').slice(0, int(sdp.length)).split('\r\n');
        break;
      case 'duplicate-line':
        lines.splice(at, 0, ...Array(1 + int(3)).fill(lines[at] ?? ''));
        break;
      case 'delete-line':
        lines.splice(at, 1);
        break;
      case 'swap-lines': {
        const other = int(lines.length);
        [lines[at], lines[other]] = [lines[other]!, lines[at]!];
        break;
      }
      case 'random-line':
        lines[at] = chance(0.5) ? `a=${randomText(int(60))}` : randomText(int(80));
        break;
      case 'duplicate-m-section': {
        const text = lines.join('\r\n');
        const sections = text.split(/(?=^m=)/m);
        const copied = pick(sections.slice(1).length ? sections.slice(1) : sections);
        lines = (text + '\r\n' + copied).split('\r\n');
        break;
      }
      case 'mid-collision':
        lines = lines.map((line) => (line.startsWith('a=mid:') ? 'a=mid:0' : line));
        break;
      case 'ssrc-collision': {
        const ssrc = lines.find((line) => line.startsWith('a=ssrc:'))?.match(/\d+/)?.[0];
        if (ssrc) lines = lines.map((line) => line.replace(/^a=ssrc:\d+/, `a=ssrc:${ssrc}`));
        break;
      }
      case 'setup': {
        const value = pick(['active', 'passive', 'holdconn', 'actpass', 'bogus']);
        lines = lines.map((line) => (line.startsWith('a=setup:') ? `a=setup:${value}` : line));
        break;
      }
      case 'fingerprint':
        lines = lines.map((line) =>
          line.startsWith('a=fingerprint:')
            ? pick([
                `a=fingerprint:md5 ${line.split(' ')[1]}`,
                'a=fingerprint:sha-256 ZZ',
                'a=fingerprint:',
              ])
            : line,
        );
        break;
      case 'number':
        lines[at] = (lines[at] ?? '').replace(/\d+/, () =>
          pick(['0', '-1', '4294967296', '99999999999999999999', 'NaN', '65536', '128']),
        );
        break;
      case 'inject':
        lines.splice(
          at,
          0,
          pick([
            'a=extmap:0 urn:ietf:params:rtp-hdrext:sdes:mid',
            'a=extmap:300 urn:ietf:params:rtp-hdrext:sdes:mid',
            'a=rid:q send',
            'a=simulcast:send q;q;zz',
            'a=ssrc-group:FID 1 1',
            'a=ssrc:0 cname:x',
            'a=rtpmap:111 opus/48000/2',
            'a=fmtp:96 apt=96',
            'a=rtpmap:96 rtx/90000',
            'a=mid:',
            `a=mid:${'m'.repeat(40)}`,
            'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
            'm=video',
          ]),
        );
        break;
      case 'port-zero':
        lines = lines.map((line) => line.replace(/^m=(\w+) \d+/, 'm=$1 0'));
        break;
      case 'lf-only':
        return { sdp: lines.join('\n'), what: done.join('+') };
    }
  }
  return { sdp: lines.join('\r\n') + '\r\n', what: done.join('+') };
}

/** A JSON body, sometimes with a field of the wrong type, a field missing or the text cut short. */
function body(value: Record<string, unknown>, what: string[]): string {
  let object: Record<string, unknown> = value;
  if (chance(0.1)) {
    const key = pick(Object.keys(object).length ? Object.keys(object) : ['x']);
    object = { ...object, [key]: wrongValue() };
    what.push(`wrong-type:${key}`);
  }
  if (chance(0.05) && Object.keys(object).length) {
    const key = pick(Object.keys(object));
    object = Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));
    what.push(`missing:${key}`);
  }
  const text = JSON.stringify(object);
  if (chance(0.04)) {
    what.push('truncated-json');
    return text.slice(0, int(text.length));
  }
  return text;
}

function sdpFor(kind: 'offer' | 'answer', what: string[]): string {
  const base =
    kind === 'answer'
      ? answer
      : pick([offers.plain, offers.plain, offers.simulcast, offers.videoOnly]);
  if (!chance(0.35)) return base;
  const mutated = mutateSdp(base);
  what.push(`sdp:${mutated.what}`);
  return mutated.sdp;
}

function nextRequest(): FuzzRequest {
  const room = roomId();
  const user = userId();
  const what: string[] = [];
  const roll = random();
  let request: Omit<FuzzRequest, 'what'>;
  if (roll < 0.12) {
    const fields: Record<string, unknown> = {};
    if (chance(0.7)) fields.userId = chance(0.8) ? pick(USERS) : wrongValue();
    if (chance(0.5)) fields.userInfo = userInfo();
    request = chance(0.05)
      ? { method: 'POST', path: '/rooms', body: body(fields, what) }
      : { method: 'POST', path: `/rooms/${room}`, body: body(fields, what) };
  } else if (roll < 0.3) {
    request = {
      method: 'POST',
      path: `/rooms/${room}/users/${user}`,
      body: chance(0.1) ? undefined : body(chance(0.8) ? { userInfo: userInfo() } : {}, what),
    };
  } else if (roll < 0.48) {
    const offer: Record<string, unknown> = {
      type: chance(0.95) ? 'offer' : pick(['answer', 'pranswer', 'rollback', '']),
      sdp: sdpFor('offer', what),
    };
    const fields: Record<string, unknown> = { offer };
    if (chance(0.3)) fields.constraints = { audio: chance(0.5), video: chance(0.5) };
    request = {
      method: 'POST',
      path: `/rooms/${room}/users/${user}/produce`,
      body: body(fields, what),
    };
  } else if (roll < 0.68) {
    const fields = {
      producerUserId: chance(0.9) ? pick(USERS) : wrongValue(),
      answer: { type: chance(0.95) ? 'answer' : 'offer', sdp: sdpFor('answer', what) },
    };
    request = {
      method: 'POST',
      path: `/rooms/${room}/users/${user}/consume`,
      body: body(fields, what),
    };
  } else if (roll < 0.74) {
    request = { method: 'DELETE', path: `/rooms/${room}/users/${user}/produce` };
  } else if (roll < 0.78) {
    request = { method: 'DELETE', path: `/rooms/${room}/users/${user}` };
  } else if (roll < 0.795) {
    request = { method: 'DELETE', path: `/rooms/${room}` };
  } else if (roll < 0.84) {
    request = { method: 'GET', path: `/rooms/${room}/stats` };
  } else {
    // Garbage: odd methods and paths, random bytes, wrong content types, no or wrong
    // token, bodies too deep or too large for the door.
    const path = pick([
      `/rooms/${room}/users/${user}/produce/extra`,
      `/rooms/${room}/users`,
      `/rooms/${room}/stats/${user}`,
      `/rooms/${room}/users/${user}/consume`,
      `/rooms/${room}/users/${user}`,
      `/rooms/${room}`,
      '/rooms',
      '/rooms/',
      `/rooms/${room}?x=${encodeURIComponent(randomText(5))}`,
    ]);
    const method = pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
    const kind = pick([
      'random-bytes',
      'wrong-content-type',
      'no-token',
      'wrong-token',
      'deep-json',
      'huge-json',
      'proto',
      'array',
      'empty',
      'plain',
    ] as const);
    what.push(`garbage:${kind}`);
    const base = { method, path };
    switch (kind) {
      case 'random-bytes':
        request = { ...base, body: randomText(int(300)) };
        break;
      case 'wrong-content-type':
        request = {
          ...base,
          body: '{"userId":1}',
          contentType: pick([
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/jsonx',
          ]),
        };
        break;
      case 'no-token':
        request = { ...base, token: '' };
        break;
      case 'wrong-token':
        request = { ...base, token: String(int(1e9)) };
        break;
      case 'deep-json':
        request = { ...base, method: 'POST', body: `{"userInfo":${nested(1000 + int(20_000))}}` };
        break;
      case 'huge-json':
        request = {
          ...base,
          method: 'POST',
          body: JSON.stringify({ userInfo: { pad: 'h'.repeat(140_000) } }),
        };
        break;
      case 'proto':
        request = {
          ...base,
          method: 'POST',
          body: '{"userInfo":{"__proto__":{"polluted":1}},"constructor":{"prototype":{}}}',
        };
        break;
      case 'array':
        request = { ...base, body: '[1,2,3]' };
        break;
      case 'empty':
        request = { ...base, body: '' };
        break;
      case 'plain':
        request = base;
        break;
    }
  }
  // A few valid requests lose their token.
  if (chance(0.01)) {
    request = { ...request, token: '' };
    what.push('no-token');
  }
  return { ...request, what: what.join(', ') || 'valid' };
}

// ---- The run ---------------------------------------------------------------

/** What must hold in every live room between batches: nothing the door made is orphaned. */
async function roomInvariants(): Promise<string[]> {
  const broken: string[] = [];
  for (const id of touchedRooms) {
    const room = host.rooms.get(id);
    if (!room) continue;
    const peers = [...room.peers.values()];
    const inPeers = peers.reduce((sum, peer) => sum + peer.transports.size, 0);
    const onRouter = (await room.router.dump()).transportIds.length;
    if (inPeers !== onRouter)
      broken.push(`${id}: ${onRouter} transports on the router, ${inPeers} held by peers`);
    for (const peer of peers) {
      const sending = [...peer.transports.values()].filter((t) => t.appData.direction === 'send');
      if (sending.length > 1 || (sending.length === 1 && peer.producers.size === 0))
        broken.push(`${id}/${peer.userId}: a send transport without its producers`);
    }
    const userIds = peers.map((peer) => peer.userId);
    if (new Set(userIds).size !== userIds.length) broken.push(`${id}: a user id twice`);
  }
  return broken;
}

test(`${REQUESTS} fuzzed REST requests: zero 5xx, always the JSON error shape, nothing leaked`, async () => {
  const started = Date.now();
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  while (sent < REQUESTS) {
    const batch = Array.from(
      { length: Math.min(1 + int(MAX_BATCH), REQUESTS - sent) },
      nextRequest,
    );
    sent += batch.length;
    const replies = await Promise.all(batch.map(send));
    replies.forEach((reply, index) => {
      const request = batch[index]!;
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      const about = `${request.method} ${request.path.slice(0, 80)} [${request.what}] → ${reply.status} ${reply.text.slice(0, 200)}`;
      if (reply.status >= 500) return failures.push(`5xx: ${about}`);
      if (!reply.contentType?.startsWith('application/json') || reply.json === undefined)
        return failures.push(`not JSON: ${about}`);
      if (reply.status >= 400) {
        const error = (reply.json as { error?: { code?: unknown; message?: unknown } }).error;
        const shapeOk =
          Object.keys(reply.json as object).length === 1 &&
          error !== undefined &&
          Object.keys(error).sort().join() === 'code,message' &&
          typeof error.message === 'string' &&
          error.message.length > 0 &&
          (CODES[reply.status] ?? []).includes(error.code as string);
        if (!shapeOk) failures.push(`error shape: ${about}`);
      } else if (typeof reply.json !== 'object' || reply.json === null) {
        failures.push(`2xx not an object: ${about}`);
      }
    });
    if (sent % 500 < batch.length) failures.push(...(await roomInvariants()));
  }
  failures.push(...(await roomInvariants()));
  console.log(
    `fuzz: ${sent} requests in ${Date.now() - started} ms; statuses`,
    Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
  );
  expect(failures).toEqual([]);
  // The run reached the door's work, not only its refusals.
  expect(statuses.get(200) ?? 0).toBeGreaterThan(REQUESTS / 10);

  // The host still carries a real call through the REST door.
  await fullFlow();

  // Every room goes; no router or transport is left on the worker.
  for (const id of touchedRooms)
    await send({ method: 'DELETE', path: `/rooms/${encodeURIComponent(id)}`, what: 'cleanup' });
  expect(host.rooms.size).toBe(0);
  const [worker] = host.pool.workers;
  expect(
    await waitFor(
      async () => ({
        routers: (await worker!.worker.dump()).routerIds,
        transports: (await worker!.webRtcServer.dump()).webRtcTransportIds,
      }),
      (left) => left.routers.length === 0 && left.transports.length === 0,
      { what: 'every router and transport released' },
    ),
  ).toEqual({ routers: [], transports: [] });
}, 120_000);

async function fullFlow() {
  const call = async (method: string, path: string, value?: unknown) => {
    const reply = await send({
      method,
      path,
      ...(value === undefined ? {} : { body: JSON.stringify(value) }),
      what: 'full flow',
    });
    expect(reply.status, reply.text).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return reply.json as any;
  };
  const publisher: Page = await openBlankPage(browser);
  const subscriber: Page = await openBlankPage(browser);
  await call('POST', '/rooms/after-fuzz', { userId: 'pub' });
  await call('POST', '/rooms/after-fuzz/users/sub', {});
  const produced = await call('POST', '/rooms/after-fuzz/users/pub/produce', {
    offer: await createPublisherOffer(publisher),
  });
  await applyAnswer(publisher, produced.answer);
  const reply = await answerOffer(subscriber, produced.outbound[0].offer);
  expect(
    await call('POST', '/rooms/after-fuzz/users/sub/consume', {
      producerUserId: 'pub',
      answer: reply,
    }),
  ).toEqual({ status: 'connected' });
  await waitFor(
    () => plainFramesDecoded(subscriber),
    (frames) => frames.some((n) => n > 5),
    { what: 'frames decoded after the fuzz run' },
  );
  await publisher.close();
  await subscriber.close();
}
