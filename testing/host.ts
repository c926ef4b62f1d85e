import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket as NodeWebSocket } from 'ws';
import { bindSocketToRoom } from '../shared/client/hub-session';
import { MessageSocket } from '../shared/client/message-socket';
import { ServiceClient } from '../shared/client/service-client';
import type { DownstreamPayloads } from '../shared/protocol/messages';
import type { RoomData } from '../shared/protocol/services';
import type { HostConfig } from '../main/host/config';
import { createLogger, type Logger } from '../main/host/logger';
import { startHost, type HostEvents, type RunningHost } from '../main/host/host';
import type { Hub } from '../main/storage/hub-store';

export interface TestHost extends RunningHost {
  /** http://127.0.0.1:<port> */
  origin: string;
  wsUrl: string;
  config: HostConfig;
  /** Stops the host and removes its data directory. */
  dispose(): Promise<void>;
}

/**
 * A real host on loopback with a real worker, for tests: plain HTTP, a free
 * port, OS-chosen media ports and a fresh data directory unless one is given.
 */
export async function startTestHost(
  overrides: Partial<HostConfig> = {},
  log?: Logger,
  events?: HostEvents,
): Promise<TestHost> {
  const ownDataDir = overrides.dataDir === undefined;
  const config: HostConfig = {
    port: 0,
    listenIp: '127.0.0.1',
    dataDir: overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'roundtable-test-')),
    announcedIps: ['127.0.0.1'],
    workers: 1,
    rtcPort: 0,
    insecureHttp: true,
    workerBin: process.env.MEDIASOUP_WORKER_BIN || undefined,
    webClientDir: undefined,
    logLevel: 'silent',
    apiToken: undefined,
    peersPerRouter: 40,
    // Tests sign many guests up from one address; the cap itself has its own test.
    guestSignUps: { perAddress: 10_000, total: 10_000, windowMs: 60_000 },
    ...overrides,
  };
  const host = await startHost(
    config,
    log ?? createLogger(process.env.ROUNDTABLE_TEST_LOG ?? config.logLevel),
    events,
  );
  const origin = `${config.insecureHttp ? 'http' : 'https'}://127.0.0.1:${host.port}`;
  let disposed: Promise<void> | undefined;
  // The host's own object underneath: its invite link and hub are read live (an admin may rotate the invite).
  return Object.assign(Object.create(host) as RunningHost, {
    origin,
    wsUrl: `${origin.replace(/^http/, 'ws')}/-/ws`,
    config,
    // Once, whoever asks first: a test may stop its host before the fixture does.
    dispose: () =>
      (disposed ??= host.close().then(() => {
        if (ownDataDir) rmSync(config.dataDir, { recursive: true, force: true });
      })),
  });
}

export interface TestGuest {
  services: ServiceClient;
  socket: MessageSocket;
  userId: string;
  room: RoomData;
  /** What the host made the guest (PRIVILEGE: a visitor, a member, the owner). */
  privilege: number;
}

/**
 * A guest of `hub` through the client door, from Node with the same shared
 * client the renderer uses: guest credential, socket, room.get and
 * yp.bind_socket done, identity set for room messages. A hub whose
 * `inviteSecret` is null makes a visitor (no invite: may only knock);
 * `userAgent` is what the socket says it is (admins see it with a knock).
 */
export async function joinAsGuest(
  host: Pick<TestHost, 'origin' | 'wsUrl'> & { hub: Pick<Hub, 'id' | 'inviteSecret'> },
  fullname: string,
  hub: { id: string; inviteSecret: string | null } = host.hub,
  options: { userAgent?: string } = {},
): Promise<TestGuest> {
  const services = new ServiceClient(host.origin);
  const guest = await services.call('yp.create_guest', {
    hub_id: hub.id,
    device_id: `device-${fullname}`,
    fullname,
    ...(hub.inviteSecret === null ? {} : { invite: hub.inviteSecret }),
  });
  services.auth = guest.auth;
  const socket = options.userAgent
    ? await helloFrom(
        new NodeWebSocket(host.wsUrl, { headers: { 'user-agent': options.userAgent } }),
      )
    : await MessageSocket.connect(host.wsUrl);
  const room = await bindSocketToRoom(services, {
    socketId: socket.socketId,
    hubId: hub.id,
    userId: guest.user_id,
    deviceId: `device-${fullname}`,
  });
  socket.identity = { user_id: guest.user_id, hub_id: hub.id, room_id: room.room_id };
  return { services, socket, userId: guest.user_id, room, privilege: guest.privilege };
}

/** A MessageSocket over a `ws` socket, once the host said hello. */
async function helloFrom(raw: NodeWebSocket): Promise<MessageSocket> {
  const socket = new MessageSocket(raw as unknown as WebSocket);
  await new Promise((resolve) => socket.on('downstream-hello', resolve));
  return socket;
}

/**
 * A second socket for `guest` (its credential), opened with `ws` so a test can
 * cut it without a closing handshake (`raw.terminate()`) or stop answering
 * pings (`autoPong: false`), bound to the guest's room with identity set.
 */
export async function openBoundSocket(
  host: Pick<TestHost, 'wsUrl'>,
  guest: TestGuest,
  options: { autoPong?: boolean; beforeHello?: (socket: MessageSocket) => void } = {},
): Promise<{ socket: MessageSocket; raw: NodeWebSocket }> {
  const raw = new NodeWebSocket(host.wsUrl, { autoPong: options.autoPong ?? true });
  const socket = new MessageSocket(raw as unknown as WebSocket);
  options.beforeHello?.(socket);
  await new Promise((resolve) => socket.on('downstream-hello', resolve));
  await bindSocketToRoom(guest.services, {
    socketId: socket.socketId,
    hubId: guest.room.hub_id,
    userId: guest.userId,
    deviceId: 'd',
  });
  socket.identity = guest.socket.identity;
  return { socket, raw };
}

/** Asks for access to the socket's room and expects to get in (not to wait in a lobby). */
export async function requestAccess(
  socket: MessageSocket,
  deviceId = 'd',
): Promise<DownstreamPayloads['downstream-access-granted']> {
  const answer = await socket.request('upstream-request-access', { deviceId });
  if (!('peer_id' in answer)) throw new Error(`waiting in the lobby (knock ${answer.knock_id})`);
  return answer;
}
