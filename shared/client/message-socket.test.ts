import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import {
  HEARTBEAT_CLOSE_CODE,
  MessageRejectedError,
  MessageSocket,
  RequestTimeoutError,
  SocketClosedError,
  type CloseInfo,
} from './message-socket';

// The client end of the host's WebSocket, against a tiny `ws` server in this
// process that plays the host: it says hello with the heartbeat it wants and
// then answers (or, for the failure cases, does not answer) as each test says.

const identity = { user_id: 'u1', hub_id: 'h1', room_id: 'r1' };

interface FakeHost {
  url: string;
  /** Frames the host received, parsed. */
  received: [string, Record<string, unknown>][];
  /** The server side of the most recent connection. */
  peer(): Promise<ServerSocket>;
  close(): Promise<void>;
}

async function startFakeHost(
  options: {
    hello?: Record<string, unknown> | null;
    onFrame?: (socket: ServerSocket, name: string, payload: Record<string, unknown>) => void;
  } = {},
): Promise<FakeHost> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const received: FakeHost['received'] = [];
  let latest: ServerSocket | undefined;
  const waiters: ((socket: ServerSocket) => void)[] = [];
  server.on('connection', (socket) => {
    latest = socket;
    for (const waiter of waiters.splice(0)) waiter(socket);
    if (options.hello !== null) {
      socket.send(
        JSON.stringify([
          'socket.downstream-hello',
          { socket_id: 's1', max_frame_bytes: 65536, ...options.hello },
        ]),
      );
    }
    socket.on('message', (data) => {
      const [name, payload] = JSON.parse(String(data)) as [string, Record<string, unknown>];
      received.push([name, payload]);
      options.onFrame?.(socket, name, payload);
    });
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    peer: () =>
      latest ? Promise.resolve(latest) : new Promise((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

function closed(socket: MessageSocket): Promise<CloseInfo> {
  return new Promise((resolve) => socket.onClose(resolve));
}

describe('against a real WebSocket server', () => {
  let host: FakeHost | undefined;
  let socket: MessageSocket | undefined;
  afterEach(async () => {
    socket?.close();
    await host?.close();
    socket = host = undefined;
  });

  test('replies are matched by cid; a downstream-error rejects with its reason', async () => {
    host = await startFakeHost({
      onFrame: (peer, name, payload) => {
        if (name === 'meeting.upstream-leave')
          peer.send(JSON.stringify(['meeting.downstream-ack', { cid: payload.cid }]));
        if (name === 'meeting.upstream-producer-pause') {
          peer.send(
            JSON.stringify([
              'meeting.downstream-error',
              { cid: payload.cid, reason: 'not_found', message: 'no such producer' },
            ]),
          );
        }
      },
    });
    socket = await MessageSocket.connect(host.url);
    socket.identity = identity;
    expect(socket.socketId).toBe('s1');
    await expect(socket.request('upstream-leave', {})).resolves.toMatchObject({});
    const rejected = socket.request('upstream-producer-pause', { producer_id: 'p1' });
    await expect(rejected).rejects.toBeInstanceOf(MessageRejectedError);
    await expect(rejected).rejects.toMatchObject({ reason: 'not_found' });
    expect(host.received[0]).toEqual([
      'meeting.upstream-leave',
      { cid: expect.any(String), ...identity, ssid: 's1' },
    ]);
  });

  test('a request the host never answers is rejected with RequestTimeoutError', async () => {
    host = await startFakeHost();
    socket = await MessageSocket.connect(host.url, 'meeting', { requestTimeoutMs: 50 });
    socket.identity = identity;
    const request = socket.request('upstream-restart-ice', { transport_id: 't1' });
    await expect(request).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(request).rejects.toMatchObject({ request: 'upstream-restart-ice' });
    expect(socket.closed).toBe(false);
  });

  test('a request on a closed socket is rejected at once instead of thrown', async () => {
    host = await startFakeHost();
    socket = await MessageSocket.connect(host.url);
    socket.identity = identity;
    const pending = socket.request('upstream-leave', {});
    const ended = closed(socket);
    (await host.peer()).close(1013, 'busy');
    await expect(pending).rejects.toBeInstanceOf(SocketClosedError);
    expect(await ended).toEqual({ cause: 'remote', code: 1013, reason: 'busy' });

    let afterClose: Promise<unknown> | undefined;
    expect(() => (afterClose = socket!.request('upstream-leave', {}))).not.toThrow();
    await expect(afterClose).rejects.toBeInstanceOf(SocketClosedError);
    // A listener added after the end still hears about it.
    await expect(closed(socket)).resolves.toMatchObject({ cause: 'remote' });
  });

  test('a request before identity is set is rejected, not thrown', async () => {
    host = await startFakeHost();
    socket = await MessageSocket.connect(host.url);
    let request: Promise<unknown> | undefined;
    expect(() => (request = socket!.request('upstream-leave', {}))).not.toThrow();
    await expect(request).rejects.toThrow(/identity/);
  });

  test('connect gives up on a host that never says hello', async () => {
    host = await startFakeHost({ hello: null });
    await expect(
      MessageSocket.connect(host.url, 'meeting', { connectTimeoutMs: 50 }),
    ).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  test('connect fails when nothing listens', async () => {
    host = await startFakeHost();
    const url = host.url;
    await host.close();
    host = undefined;
    await expect(MessageSocket.connect(url)).rejects.toThrow(/WebSocket/);
  });

  test('the heartbeat pings, and a host that stays silent is declared dead', async () => {
    host = await startFakeHost({ hello: { heartbeat_ms: 20, idle_timeout_ms: 120 } });
    socket = await MessageSocket.connect(host.url);
    socket.identity = identity;
    const pending = socket.request('upstream-leave', {});
    const info = await closed(socket);
    expect(info).toMatchObject({ cause: 'heartbeat', code: HEARTBEAT_CLOSE_CODE });
    await expect(pending).rejects.toBeInstanceOf(SocketClosedError);
    expect(socket.closed).toBe(true);
    const pings = host.received.filter(([name]) => name === 'socket.upstream-ping');
    expect(pings.length).toBeGreaterThan(0);
    expect(pings[0]![1]).toEqual({ cid: expect.any(String) });
    // The host sees the socket go too.
    const peer = await host.peer();
    if (peer.readyState !== peer.CLOSED)
      await new Promise((resolve) => peer.once('close', resolve));
  });

  test('a host that answers the pings keeps the socket alive past the idle timeout', async () => {
    let pings = 0;
    let enough: () => void;
    const manyPings = new Promise<void>((resolve) => (enough = resolve));
    host = await startFakeHost({
      hello: { heartbeat_ms: 10, idle_timeout_ms: 60 },
      onFrame: (peer, name, payload) => {
        if (name !== 'socket.upstream-ping') return;
        peer.send(JSON.stringify(['socket.downstream-pong', { cid: payload.cid }]));
        // 20 pings × 10 ms is more than three idle timeouts.
        if (++pings === 20) enough();
      },
    });
    socket = await MessageSocket.connect(host.url);
    await manyPings;
    expect(socket.closed).toBe(false);
  });
});

/** A WebSocket stand-in for timer tests: records what is sent, lets the test deliver frames. */
class FakeWebSocket extends EventTarget {
  readyState = 1;
  sent: string[] = [];
  send(frame: string) {
    this.sent.push(frame);
  }
  close(code = 1000, reason = '') {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code, reason }));
  }
  deliver(name: string, payload: Record<string, unknown>) {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify([name, payload]) }));
  }
}

describe('heartbeat timing (fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function open(hello: Record<string, unknown>) {
    const fake = new FakeWebSocket();
    const socket = new MessageSocket(fake as unknown as WebSocket);
    fake.deliver('socket.downstream-hello', { socket_id: 's1', max_frame_bytes: 1, ...hello });
    return { fake, socket };
  }

  test('pings every heartbeat_ms; any frame from the host postpones the end', () => {
    const { fake, socket } = open({ heartbeat_ms: 1000, idle_timeout_ms: 3000 });
    const ends: CloseInfo[] = [];
    socket.onClose((info) => ends.push(info));
    vi.advanceTimersByTime(2999);
    expect(fake.sent.filter((frame) => frame.includes('socket.upstream-ping'))).toHaveLength(2);
    fake.deliver('meeting.downstream-active-speaker', { room_id: 'r', peer_id: null });
    vi.advanceTimersByTime(2999);
    expect(ends).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ends).toEqual([expect.objectContaining({ cause: 'heartbeat' })]);
    expect(fake.readyState).toBe(3);
  });

  test('closing stops every timer, and close listeners run once', () => {
    const { socket } = open({ heartbeat_ms: 1000, idle_timeout_ms: 3000 });
    socket.identity = identity;
    void socket.request('upstream-leave', {}).catch(() => undefined);
    const ends: CloseInfo[] = [];
    socket.onClose((info) => ends.push(info));
    expect(vi.getTimerCount()).toBe(3);
    socket.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(ends).toEqual([{ cause: 'local', code: 1000, reason: '' }]);
  });

  test('a host without a heartbeat in its hello gets no pings and no idle timeout', () => {
    const { fake, socket } = open({});
    vi.advanceTimersByTime(600_000);
    expect(fake.sent).toEqual([]);
    expect(socket.closed).toBe(false);
  });
});
