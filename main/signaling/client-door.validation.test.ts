import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MessageRejectedError, type MessageSocket } from '../../shared/client/message-socket';
import { ServiceCallError, ServiceClient } from '../../shared/client/service-client';
import { MAX_FRAME_BYTES, type DownstreamPayloads } from '../../shared/protocol/messages';
import { joinAsGuest, startTestHost, type TestHost, requestAccess } from '../../testing/host';
import { waitFor } from '../../testing/wait';

// Bad input of every kind gets a clear error; the host keeps running and
// other rooms are not disturbed.

let host: TestHost;

beforeAll(async () => {
  host = await startTestHost();
});

afterAll(async () => {
  await host?.dispose();
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${host.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: await response.json() };
}

function nextError(socket: MessageSocket): Promise<DownstreamPayloads['downstream-error']> {
  return new Promise((resolve) => {
    const off = socket.on('downstream-error', (payload) => {
      off();
      resolve(payload);
    });
  });
}

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MessageRejectedError);
  return error as MessageRejectedError;
}

describe('service calls', () => {
  test('answer bad requests with the error envelope and a 4xx status', async () => {
    const invalidJson = await post('/-/svc/room.get', '{"service": "room.get",');
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.body).toMatchObject({
      __ack__: 'room.get',
      __status__: 'error',
      data: { reason: 'invalid_json' },
    });
    expect(typeof invalidJson.body.__timestamp__).toBe('number');

    const unknown = await post('/-/svc/room.explode', '{"service": "room.explode"}');
    expect(unknown).toMatchObject({
      status: 404,
      body: { __status__: 'error', data: { reason: 'unknown_service' } },
    });

    const wrongTypes = await post(
      '/-/svc/room.get',
      JSON.stringify({ service: 'room.get', socket_id: 5, hub_id: [] }),
    );
    expect(wrongTypes).toMatchObject({
      status: 400,
      body: { data: { reason: 'invalid_request' } },
    });
    expect(wrongTypes.body.data.message).toContain('socket_id');

    const mismatched = await post(
      '/-/svc/hub.get_members_by_type',
      JSON.stringify({ service: 'room.get' }),
    );
    expect(mismatched).toMatchObject({
      status: 400,
      body: { data: { reason: 'invalid_request' } },
    });

    const huge = await post(
      '/-/svc/room.get',
      JSON.stringify({ service: 'room.get', pad: 'x'.repeat(20_000) }),
    );
    expect(huge).toMatchObject({ status: 413, body: { __status__: 'error', __ack__: 'room.get' } });
  });

  test('need a credential, a valid invite and membership', async () => {
    const anonymous = new ServiceClient(host.origin);
    const members = { socket_id: 'x', device_id: 'd', hub_id: host.hub.id, type: 'all' } as const;
    await expect(anonymous.call('hub.get_members_by_type', members)).rejects.toMatchObject({
      reason: 'unauthenticated',
      httpStatus: 401,
    });
    anonymous.auth = 'forged-token';
    await expect(anonymous.call('hub.get_members_by_type', members)).rejects.toMatchObject({
      reason: 'unauthenticated',
    });
    const guest = { hub_id: host.hub.id, device_id: 'd', fullname: 'Mallory', invite: 'wrong' };
    await expect(anonymous.call('yp.create_guest', guest)).rejects.toMatchObject({
      reason: 'forbidden',
      httpStatus: 403,
    });

    const other = host.store.createHub('Elsewhere');
    const { services } = await joinAsGuest(host, 'Member');
    await expect(
      services.call('hub.get_members_by_type', { ...members, hub_id: other.id }),
    ).rejects.toBeInstanceOf(ServiceCallError);
    await expect(
      services.call('room.get', {
        socket_id: 'no-such-socket',
        hub_id: host.hub.id,
        device_id: 'd',
        room_type: 'meeting',
      }),
    ).rejects.toMatchObject({ reason: 'not_found' });
  });
});

describe('WebSocket messages', () => {
  test('malformed frames get a socket-level error and the socket stays usable', async () => {
    const { socket } = await joinAsGuest(host, 'Frames');
    const cases: [string | Uint8Array<ArrayBuffer>, string][] = [
      ['{not json', 'invalid_json'],
      ['{"an": "object"}', 'invalid_message'],
      ['["meeting.upstream-offer"]', 'invalid_message'],
      [new Uint8Array([1, 2, 3]), 'invalid_message'],
      ['["meeting.upstream-teleport", {"cid": "c9"}]', 'unknown_message'],
      ['["party.upstream-request-access", {"cid": "c9"}]', 'unknown_message'],
      [
        JSON.stringify(['meeting.upstream-offer', { pad: 'x'.repeat(MAX_FRAME_BYTES) }]),
        'frame_too_large',
      ],
    ];
    for (const [frame, reason] of cases) {
      const error = nextError(socket);
      socket.socket.send(frame);
      expect(await error).toMatchObject({ reason });
    }
    const wrongTypes = nextError(socket);
    socket.sendRaw(JSON.stringify(['meeting.upstream-request-access', { cid: 'c42', user_id: 7 }]));
    expect(await wrongTypes).toMatchObject({ cid: 'c42', reason: 'invalid_message' });
    expect((await wrongTypes).message).toContain('user_id');

    // Still connected and served.
    const granted = await requestAccess(socket, 'd');
    expect(granted.routerRtpCapabilities).toBeTruthy();
    await socket.request('upstream-leave', {});
    socket.close();
  });

  test('an unbound socket may not enter, and a bound one may not act for someone else', async () => {
    const { socket, userId, room } = await joinAsGuest(host, 'Owner');
    const stranger = await joinAsGuest(host, 'Stranger');

    const unbound = await (
      await import('../../shared/client/message-socket')
    ).MessageSocket.connect(host.wsUrl);
    unbound.identity = { user_id: userId, hub_id: host.hub.id, room_id: room.room_id };
    expect((await rejection(requestAccess(unbound, 'd'))).reason).toBe('not_bound');

    // The stranger's socket claims the owner's user id, then the owner's socket id.
    stranger.socket.identity = { ...stranger.socket.identity!, user_id: userId };
    expect((await rejection(requestAccess(stranger.socket, 'd'))).reason).toBe('forbidden');
    stranger.socket.identity = { ...stranger.socket.identity, user_id: stranger.userId };
    stranger.socket.socketId = socket.socketId;
    expect((await rejection(requestAccess(stranger.socket, 'd'))).reason).toBe('forbidden');

    // Binding someone else's socket is refused too.
    await expect(
      stranger.services.call('yp.bind_socket', {
        socket_id: socket.socketId,
        hub_id: stranger.userId,
        endpointAddress: room.endpointAddress,
        endpointRoute: room.endpointRoute,
        device_id: 'd',
      }),
    ).rejects.toMatchObject({ reason: 'forbidden' });
    for (const s of [unbound, socket, stranger.socket]) s.close();
  });

  test('messages out of order are refused', async () => {
    const { socket } = await joinAsGuest(host, 'Hasty');
    const offer = socket.request('upstream-offer', {
      outbound_id: 'x',
      video: 1,
      audio: 0,
      kind: 'video',
      source: 'camera',
      rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }] },
    });
    expect((await rejection(offer)).reason).toBe('out_of_order');

    const wrongRoom = { ...socket.identity!, room_id: 'ffffffffffffffff' };
    socket.identity = wrongRoom;
    expect((await rejection(requestAccess(socket, 'd'))).reason).toBe('not_found');
    socket.identity = { ...wrongRoom, room_id: (await joinAsGuest(host, 'Peek')).room.room_id };

    const granted = await requestAccess(socket, 'd');
    // Asking for streams before entering the room.
    expect(
      (await rejection(socket.request('downstream-offer', { peer_id: granted.peer_id }))).reason,
    ).toBe('not_found');
    expect(
      (await rejection(socket.request('downstream-offer', { peer_id: 'nobody' }))).reason,
    ).toBe('not_found');
    // A second request-access on the same socket.
    expect((await rejection(requestAccess(socket, 'd'))).reason).toBe('out_of_order');
    // Bad RTP parameters reach mediasoup, whose refusal comes back as an error.
    const badRtp = socket.request('upstream-offer', {
      outbound_id: granted.sendTransport.id,
      video: 1,
      audio: 0,
      kind: 'video',
      source: 'camera',
      rtpParameters: { codecs: [{ mimeType: 'video/NOPE', payloadType: 96, clockRate: 90000 }] },
    });
    expect((await rejection(badRtp)).reason).toBe('media_error');
    socket.close();
  });

  test('none of it disturbs a meeting in another room', async () => {
    const otherHub = host.store.createHub('Quiet room');
    const calm = await joinAsGuest(host, 'Calm', otherHub);
    const granted = await requestAccess(calm.socket, 'd');
    const room = host.rooms.get(calm.room.room_id)!;

    const noisy = await joinAsGuest(host, 'Noisy');
    for (const frame of [
      'garbage',
      '[]',
      '["meeting.downstream-offer", {}]',
      'x'.repeat(MAX_FRAME_BYTES + 1),
    ]) {
      noisy.socket.sendRaw(frame);
    }
    noisy.socket.close();

    await calm.socket.request('upstream-icecandidate', {
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' },
    });
    expect(room.peers.has(granted.peer_id)).toBe(true);
    expect((await room.router.dump()).transportIds.sort()).toEqual(
      [granted.sendTransport.id, granted.recvTransport.id].sort(),
    );
    calm.socket.close();
  });
});

describe('seed fidelity', () => {
  test('room.get answers every field of the seed’s example response', async () => {
    const guest = await joinAsGuest(host, 'Surendar Ramasamy');
    // The seed's example response, field by field (values are the host's own).
    const seedFields = [
      ...['id', 'room_id', 'user_id', 'socket_id', 'presenter_id', 'ctime', 'hub_id'],
      ...['avatar_id', 'guest_name', 'role', 'screen_id', 'permission', 'email', 'firstname'],
      ...['lastname', 'fullname', 'type', 'use_node', 'use_location', 'pushNode'],
      ...['pushLocation', 'endpointAddress', 'endpointRoute', 'status'],
    ];
    for (const field of seedFields) expect(guest.room).toHaveProperty(field);
    expect(guest.room).toMatchObject({
      avatar_id: guest.userId,
      firstname: 'Surendar',
      lastname: 'Ramasamy',
      email: null,
      screen_id: null,
      // A member is no presenter, and no presenter is in the room yet.
      role: 'attendee',
      presenter_id: null,
      use_node: guest.room.endpointAddress,
      pushNode: guest.room.endpointAddress,
      use_location: guest.room.endpointRoute,
      pushLocation: guest.room.endpointRoute,
    });
    guest.socket.close();
  });

  test('an error about a room message comes back with that message’s prefix', async () => {
    const guest = await joinAsGuest(host, 'Prefix');
    const raw = guest.socket.socket;
    const replies: string[] = [];
    raw.addEventListener('message', (event) =>
      replies.push(JSON.parse(String(event.data))[0] as string),
    );
    const answered = async (frame: string) => {
      const before = replies.length;
      guest.socket.sendRaw(frame);
      await waitFor(
        () => replies.length,
        (n) => n > before,
        { what: `a reply to ${frame}`, intervalMs: 10 },
      );
      return replies[before];
    };
    expect(await answered(JSON.stringify(['meeting.upstream-offer', { cid: 'x' }]))).toBe(
      'meeting.downstream-error',
    );
    expect(await answered(JSON.stringify(['meeting.upstream-nonsense', { cid: 'y' }]))).toBe(
      'meeting.downstream-error',
    );
    expect(await answered('not json')).toBe('socket.downstream-error');
    expect(await answered(JSON.stringify(['nowhere.upstream-offer', {}]))).toBe(
      'socket.downstream-error',
    );
    guest.socket.close();
  });
});
