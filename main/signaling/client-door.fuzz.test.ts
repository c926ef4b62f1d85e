import { afterAll, beforeAll, expect, test } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { z } from 'zod';
import { upstreamMessageSchemas } from '../../shared/protocol/messages';
import { MODERATION_NAMES } from '../../shared/protocol/moderation';
import { REACTIONS, ROOM_TOOL_NAMES } from '../../shared/protocol/room-tools';
import { serviceRequestSchemas } from '../../shared/protocol/services';
import {
  joinAsGuest,
  startTestHost,
  type TestGuest,
  type TestHost,
  requestAccess,
} from '../../testing/host';
import { bindSocketToRoom } from '../../shared/client/hub-session';

// A bounded fuzz run of the client door from a fixed seed: 10,000 WebSocket
// frames and 2,500 service calls, valid and mangled. The host must answer
// every frame exactly once, never with an internal error, answer every call
// with an envelope and never a 5xx, and still serve a normal join afterwards.

const SEED = 0x5eed_000a;
const SOCKETS = 25;
const FRAMES_PER_SOCKET = 400;
const SERVICE_CALLS = 2_500;

/** mulberry32: a small seeded PRNG, so a failure replays exactly. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
type Random = ReturnType<typeof prng>;

const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  'x'.repeat(300),
  '\u0000\uffff',
  [],
  [[[]]],
  {},
  { __proto__: { polluted: true } },
  { constructor: { prototype: {} } },
];

function randomValue(random: Random, depth = 0): unknown {
  const roll = random.int(8);
  if (roll < 3 || depth > 3) return random.pick(ODD_VALUES);
  if (roll < 5) return random.int(2 ** 31) * (random.next() < 0.5 ? 1 : -1);
  if (roll < 6) return Array.from({ length: random.int(4) }, () => randomValue(random, depth + 1));
  if (roll < 7)
    return Object.fromEntries(
      Array.from({ length: random.int(4) }, (_, i) => [`k${i}`, randomValue(random, depth + 1)]),
    );
  return random.int(1e9).toString(16);
}

/** Plausible field values, so mangled messages get deep into the handlers. */
function fieldValue(random: Random, field: string, known: Record<string, string>): unknown {
  if (known[field] !== undefined && random.next() < 0.8) return known[field];
  if (field === 'video' || field === 'audio') return random.int(3);
  if (field === 'kind') return random.pick(['audio', 'video', 'data']);
  if (field === 'source') return random.pick(['microphone', 'camera', 'screen', 'x']);
  if (field === 'paused') return random.next() < 0.5;
  if (field === 'spatialLayer' || field === 'temporalLayer') return random.int(6) - 1;
  if (field === 'candidate') return { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' };
  if (field === 'rtpCapabilities') return { codecs: [], headerExtensions: [] };
  if (field === 'sdpOffer') return mangledSdp(random);
  if (field === 'text') return random.pick(['hello', '  ', 'x'.repeat(2100)]);
  if (field === 'raised') return random.next() < 0.5;
  if (field === 'emoji') return random.pick([...REACTIONS, '💩']);
  // Moderation: plausible settings and answers, so an owner's frames act.
  if (field === 'locked' || field === 'ask_to_unmute' || field === 'admit')
    return random.next() < 0.5;
  if (field === 'role') return random.pick(['admin', 'member', 'owner']);
  if (field === 'sources') return { '0': random.pick(['microphone', 'camera', 'x']) };
  if (field === 'rtpParameters')
    return {
      mid: String(random.int(4)),
      codecs: [
        { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2, parameters: {} },
      ],
      encodings: [{ ssrc: random.int(2 ** 32) }],
    };
  if (field === 'dtlsParameters')
    return { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] };
  return randomValue(random);
}

/** A plausible SDP offer (audio send-only, or receive-only with `recv`), then a few of its lines dropped or swapped. */
function mangledSdp(random: Random): string {
  const direction = random.pick(['sendonly', 'recvonly', 'sendrecv', 'inactive']);
  const lines = [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    `m=${random.pick(['audio', 'video', 'application'])} 9 UDP/TLS/RTP/SAVPF 111`,
    'c=IN IP4 0.0.0.0',
    'a=ice-ufrag:abcd',
    'a=ice-pwd:abcdefghijklmnopqrstuvwx',
    'a=fingerprint:sha-256 ' + Array.from({ length: 32 }, () => 'AB').join(':'),
    `a=setup:${random.pick(['actpass', 'active', 'passive'])}`,
    `a=mid:${random.pick(['0', '1', ''])}`,
    `a=${direction}`,
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    `a=ssrc:${random.int(2 ** 32)} cname:x`,
  ];
  for (let i = random.int(3); i > 0; i--) lines.splice(random.int(lines.length), 1);
  if (random.next() < 0.2) lines.push(lines[random.int(lines.length)]!);
  return lines.join('\r\n') + '\r\n';
}

const NAMES = Object.keys(upstreamMessageSchemas);
/**
 * The messages by kind: media (seed 000 and mediasoup), room tools, moderation.
 * A frame picks a kind first, so each kind gets its share of the frames
 * however many messages it has.
 */
const KINDS: readonly string[][] = [
  NAMES.filter(
    (name) =>
      !(ROOM_TOOL_NAMES as readonly string[]).includes(name) &&
      !(MODERATION_NAMES as readonly string[]).includes(name),
  ),
  [...ROOM_TOOL_NAMES],
  [...MODERATION_NAMES],
];

function randomFrame(random: Random, known: Record<string, string>, cid: string): string | Buffer {
  const roll = random.int(20);
  if (roll === 0) return Buffer.from([random.int(256), random.int(256)]); // binary
  if (roll === 1) return '{"not": "closed"'; // not JSON
  if (roll === 2) return JSON.stringify({ cid }); // not an array
  if (roll === 3)
    return JSON.stringify(['meeting.upstream-offer', { cid, pad: 'x'.repeat(70_000) }]);
  if (roll === 4) return JSON.stringify(['socket.upstream-ping', { cid }]);
  if (roll === 5)
    return JSON.stringify([`${random.pick(['hub', 'x', ''])}.${random.pick(NAMES)}`, { cid }]);
  const name = random.pick(random.pick(KINDS));
  const schema = (upstreamMessageSchemas as Record<string, z.ZodType>)[name]!;
  // A message with two forms (the seed's SDP form and the mediasoup form): either one.
  const shape = (
    schema instanceof z.ZodUnion ? random.pick(schema.options as z.ZodObject[]) : schema
  ) as z.ZodObject;
  const payload: Record<string, unknown> = { cid };
  for (const field of Object.keys(shape.shape)) {
    if (field === 'cid') continue;
    if (random.next() < 0.08) continue; // a missing field
    payload[field] = fieldValue(random, field, known);
  }
  if (random.next() < 0.1) payload[`extra${random.int(3)}`] = randomValue(random);
  return JSON.stringify([`meeting.${name}`, payload]);
}

const REPLIES = new Set([
  'downstream-access-granted',
  'downstream-lobby-waiting',
  'downstream-ack',
  'downstream-offer-acknowledged',
  'downstream-response',
  'downstream-ice-restarted',
  'downstream-error',
  'downstream-pong',
]);

interface FuzzSocket {
  send(frame: string | Buffer): Promise<{ name: string; payload: Record<string, unknown> }>;
  extraReplies: number;
  close(): void;
  closedWith: number | undefined;
}

async function fuzzSocket(
  host: TestHost,
  guest: TestGuest | undefined,
): Promise<FuzzSocket & { socketId: string }> {
  const raw = new NodeWebSocket(host.wsUrl);
  let waiting: ((reply: { name: string; payload: Record<string, unknown> }) => void) | undefined;
  let socketId = '';
  const result: FuzzSocket & { socketId: string } = {
    socketId,
    extraReplies: 0,
    closedWith: undefined,
    send(frame) {
      return new Promise((resolve, reject) => {
        raw.send(frame, (error) => error && reject(error));
        const timer = setTimeout(() => reject(new Error('no reply within 10 s')), 10_000);
        waiting = (reply) => {
          clearTimeout(timer);
          resolve(reply);
        };
      });
    },
    close: () => raw.close(),
  };
  raw.on('close', (code) => (result.closedWith = code));
  await new Promise<void>((resolve) =>
    raw.on('message', (data) => {
      const [fullName, payload] = JSON.parse(String(data)) as [string, Record<string, unknown>];
      const name = fullName.slice(fullName.indexOf('.') + 1);
      if (name === 'downstream-hello') {
        socketId = result.socketId = String(payload.socket_id);
        resolve();
        return;
      }
      if (!REPLIES.has(name)) return; // pushed: peers lists, presence, ...
      if (waiting) {
        const take = waiting;
        waiting = undefined;
        take({ name, payload });
      } else result.extraReplies++;
    }),
  );
  if (guest) {
    await bindSocketToRoom(guest.services, {
      socketId: socketId,
      hubId: guest.room.hub_id,
      userId: guest.userId,
      deviceId: 'd',
    });
  }
  return result;
}

let host: TestHost;
let owners: { id: string; inviteSecret: string } | undefined;
const ownersHub = () => {
  if (!owners) {
    const hub = host.store.createHub('Fuzzing owners');
    owners = { id: hub.id, inviteSecret: hub.ownerKey };
  }
  return owners;
};

beforeAll(async () => {
  host = await startTestHost();
});

afterAll(async () => {
  await host?.dispose();
});

test('10,000 fuzzed frames: exactly one reply each, no internal error, the host carries on', async () => {
  const reasons = new Map<string, number>();
  const replies = new Map<string, number>();
  // Five sockets at a time, each with its own guest (a fifth of them unbound).
  for (let batch = 0; batch < SOCKETS; batch += 5) {
    await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const bound = (batch + i) % 5 !== 0;
        // One in five bound sockets is an owner, so moderation frames reach their handlers too;
        // in a hub of its own, so ending or locking its meeting leaves the others' alone.
        const hub = (batch + i) % 5 === 1 ? ownersHub() : host.hub;
        const guest = bound ? await joinAsGuest(host, `Fuzz ${batch + i}`, hub) : undefined;
        guest?.socket.close();
        const socket = await fuzzSocket(host, guest);
        // A generator of its own: the socket's frames replay exactly, whatever the others do meanwhile.
        const random = prng(SEED + batch + i);
        const known: Record<string, string> = {
          user_id: guest?.userId ?? 'u',
          ssid: socket.socketId,
          hub_id: guest?.room.hub_id ?? host.hub.id,
          room_id: guest?.room.room_id ?? 'r',
          deviceId: 'd',
        };
        for (let n = 0; n < FRAMES_PER_SOCKET; n++) {
          const reply = await socket.send(randomFrame(random, known, `f${n}`));
          replies.set(reply.name, (replies.get(reply.name) ?? 0) + 1);
          // Ids the host hands out feed later frames, so they reach deeper.
          for (const key of ['peer_id', 'producer_id', 'transport_id'])
            if (typeof reply.payload[key] === 'string') known[key] = reply.payload[key] as string;
          const granted = reply.payload.sendTransport as { id?: string } | undefined;
          if (granted?.id) known.outbound_id = known.transport_id = granted.id;
          if (reply.name === 'downstream-error') {
            const reason = String(reply.payload.reason);
            reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          }
        }
        // Nothing more arrives for those frames: a last ping's pong comes next.
        expect(
          (await socket.send(JSON.stringify(['socket.upstream-ping', { cid: 'end' }]))).name,
        ).toBe('downstream-pong');
        expect(socket.extraReplies).toBe(0);
        expect(socket.closedWith).toBeUndefined();
        socket.close();
      }),
    );
  }
  expect(reasons.get('internal') ?? 0).toBe(0);
  // It was not all one kind of refusal, and many frames got through to the handlers.
  expect(reasons.size).toBeGreaterThan(4);
  expect(replies.get('downstream-access-granted')).toBeGreaterThan(0);
  expect(replies.get('downstream-ack')).toBeGreaterThan(50);

  // A normal client still gets in and enters.
  const guest = await joinAsGuest(host, 'After the fuzz');
  const granted = await requestAccess(guest.socket, 'd');
  await guest.socket.request('upstream-peer-enter', {
    rtpCapabilities: granted.routerRtpCapabilities as never,
  });
  guest.socket.close();
}, 240_000);

test('2,500 fuzzed service calls: an envelope every time, never a 5xx', async () => {
  const random = prng(SEED + 1);
  const guest = await joinAsGuest(host, 'Service fuzz');
  const names = [
    ...Object.keys(serviceRequestSchemas),
    'room.delete',
    '__proto__',
    'constructor',
    '',
  ];
  const statuses = new Map<number, number>();
  for (let n = 0; n < SERVICE_CALLS; n++) {
    const service = random.pick(names);
    const body: Record<string, unknown> = { service };
    for (const field of [
      'hub_id',
      'socket_id',
      'device_id',
      'room_type',
      'type',
      'status',
      'fullname',
      'invite',
      'endpointAddress',
      'endpointRoute',
    ]) {
      if (random.next() < 0.6) {
        body[field] = random.pick([
          host.hub.id,
          guest.socket.socketId,
          guest.userId,
          'meeting',
          'all',
          host.hub.inviteSecret,
          randomValue(random),
        ]);
      }
    }
    const roll = random.int(10);
    const payload =
      roll === 0 ? '{"service":' : roll === 1 ? JSON.stringify([body]) : JSON.stringify(body);
    const response = await fetch(`${host.origin}/-/svc/${encodeURIComponent(service)}`, {
      method: 'POST',
      headers: {
        'content-type': random.next() < 0.05 ? 'text/plain' : 'application/json',
        ...(random.next() < 0.7 ? { 'x-param-auth': guest.services.auth! } : {}),
      },
      body: payload,
    });
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    expect(response.status, `call ${n} (${service}) answered ${response.status}`).toBeLessThan(500);
    const envelope = (await response.json()) as { __status__?: string; __ack__?: string };
    expect(['ok', 'error']).toContain(envelope.__status__);
  }
  expect(statuses.size).toBeGreaterThan(3);
  guest.socket.close();
}, 240_000);
