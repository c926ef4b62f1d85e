import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { MessageSocket } from '../../shared/client/message-socket';
import type { DownstreamName, DownstreamPayloads } from '../../shared/protocol/messages';
import {
  joinAsGuest,
  openBoundSocket,
  startTestHost,
  type TestGuest,
  type TestHost,
  requestAccess,
} from '../../testing/host';
import { waitFor } from '../../testing/wait';
import { bindSocketToRoom } from '../../shared/client/hub-session';

// One person, one peer: a client that comes back after its socket dropped
// takes over its own peer (same id, no leave and join for the others); a
// second tab replaces the first; a silent or frozen client is dropped; a
// client that never enters is sent away; a host that stops says so.

interface Connection {
  socket: MessageSocket;
  raw: NodeWebSocket;
  seen: { name: DownstreamName; payload: unknown }[];
  closeCode: Promise<number>;
}

const WATCHED: DownstreamName[] = [
  'downstream-peers-list',
  'downstream-peer-left',
  'downstream-room-closed',
];

/** A new socket for `guest` (its credential), bound, with what the host pushes recorded. */
async function connect(
  host: TestHost,
  guest: TestGuest,
  options: { autoPong?: boolean } = {},
): Promise<Connection> {
  const seen: Connection['seen'] = [];
  const { socket, raw } = await openBoundSocket(host, guest, {
    ...options,
    beforeHello: (early) => {
      for (const name of WATCHED) early.on(name, (payload) => seen.push({ name, payload }));
    },
  });
  const closeCode = new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)));
  return { socket, raw, seen, closeCode };
}

async function guestOn(host: TestHost, name: string): Promise<TestGuest> {
  const guest = await joinAsGuest(host, name);
  guest.socket.close();
  return guest;
}

async function enter(connection: Connection) {
  const granted = await requestAccess(connection.socket, 'd');
  await connection.socket.request('upstream-peer-enter', {
    rtpCapabilities: granted.routerRtpCapabilities as never,
  });
  return granted;
}

function pushed<N extends DownstreamName>(connection: Connection, name: N) {
  return connection.seen
    .filter((entry) => entry.name === name)
    .map((entry) => entry.payload as DownstreamPayloads[N]);
}

function lastListed(connection: Connection, peerId: string) {
  return pushed(connection, 'downstream-peers-list')
    .at(-1)
    ?.peers.find((peer) => peer.peer_id === peerId);
}

describe('with a long grace period', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost({ membershipTimings: { resumeGraceMs: 30_000 } });
  });
  afterAll(async () => host?.dispose());

  test('a client whose socket dropped comes back as the same peer; nobody sees it leave', async () => {
    const [ada, ben] = [await guestOn(host, 'Ada'), await guestOn(host, 'Ben')];
    const adaFirst = await connect(host, ada);
    const adaPeer = (await enter(adaFirst)).peer_id;
    const benConn = await connect(host, ben);
    await enter(benConn);
    const room = host.rooms.get(ada.room.room_id)!;

    adaFirst.raw.terminate();
    await waitFor(
      () => lastListed(benConn, adaPeer)?.reconnecting,
      (reconnecting) => reconnecting === true,
      { what: 'Ada shown as reconnecting' },
    );
    // Her place is kept: same peer, still in the room.
    expect(room.peers.has(adaPeer)).toBe(true);

    const adaAgain = await connect(host, ada);
    const granted = await enter(adaAgain);
    expect(granted.peer_id).toBe(adaPeer);
    await waitFor(
      () => lastListed(benConn, adaPeer)?.reconnecting,
      (reconnecting) => reconnecting === false,
      { what: 'Ada shown as back' },
    );
    expect(pushed(benConn, 'downstream-peer-left')).toEqual([]);
    expect(room.peers.size).toBe(2);
    // Only her new transports are left on the router.
    expect((await room.router.dump()).transportIds).toHaveLength(4);
    adaAgain.socket.close();
    benConn.socket.close();
  });

  test('the same person in a second tab replaces the first, which is told why', async () => {
    const [cy, dee] = [await guestOn(host, 'Cy'), await guestOn(host, 'Dee')];
    const firstTab = await connect(host, cy);
    const cyPeer = (await enter(firstTab)).peer_id;
    const deeConn = await connect(host, dee);
    await enter(deeConn);

    const secondTab = await connect(host, cy);
    const granted = await enter(secondTab);
    expect(granted.peer_id).toBe(cyPeer);
    await waitFor(
      () => pushed(firstTab, 'downstream-room-closed'),
      (closed) => closed.length === 1,
      { what: 'the first tab told' },
    );
    expect(pushed(firstTab, 'downstream-room-closed')[0]).toMatchObject({ reason: 'replaced' });
    expect(pushed(deeConn, 'downstream-peer-left')).toEqual([]);
    // The first tab is out of the room: its room messages are refused.
    await expect(firstTab.socket.request('upstream-leave', {})).rejects.toMatchObject({
      reason: 'out_of_order',
    });
    const room = host.rooms.get(cy.room.room_id)!;
    expect([...room.peers.values()].filter((peer) => peer.userId === cy.userId)).toHaveLength(1);
    for (const conn of [firstTab, secondTab, deeConn]) conn.socket.close();
  });
});

describe('with short timeouts', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost({
      socketLimits: { heartbeatMs: 100, idleTimeoutMs: 800 },
      membershipTimings: { resumeGraceMs: 500, joinTimeoutMs: 1_000 },
    });
  });
  afterAll(async () => host?.dispose());

  test('a client that does not come back within the grace period leaves', async () => {
    const [eve, fay] = [await guestOn(host, 'Eve'), await guestOn(host, 'Fay')];
    const eveConn = await connect(host, eve);
    const evePeer = (await enter(eveConn)).peer_id;
    const fayConn = await connect(host, fay);
    await enter(fayConn);
    eveConn.raw.terminate();
    await waitFor(
      () => pushed(fayConn, 'downstream-peer-left').map((left) => left.peer_id),
      (ids) => ids.includes(evePeer),
      { what: 'Eve to leave after the grace period' },
    );
    fayConn.socket.close();
  });

  test('a silent client (no pongs, no pings: frozen, or gone from the network) is dropped', async () => {
    const [gus, hal] = [await guestOn(host, 'Gus'), await guestOn(host, 'Hal')];
    const halConn = await connect(host, hal);
    await enter(halConn);
    // Gus speaks raw frames and never answers a ping once he is in: a frozen laptop.
    const frozen = new NodeWebSocket(host.wsUrl, { autoPong: false });
    const closeCode = new Promise<number>((resolve) => frozen.on('close', resolve));
    const replies = new Map<string, (payload: Record<string, unknown>) => void>();
    let socketId = '';
    const hello = new Promise<void>((resolve) =>
      frozen.on('message', (data) => {
        const [name, payload] = JSON.parse(String(data)) as [string, Record<string, unknown>];
        if (name === 'socket.downstream-hello') {
          socketId = String(payload.socket_id);
          resolve();
        } else if (typeof payload.cid === 'string') replies.get(payload.cid)?.(payload);
      }),
    );
    await hello;
    await bindSocketToRoom(gus.services, {
      socketId: socketId,
      hubId: gus.room.hub_id,
      userId: gus.userId,
      deviceId: 'd',
    });
    const request = (cid: string, name: string, payload: object) =>
      new Promise<Record<string, unknown>>((resolve) => {
        replies.set(cid, resolve);
        frozen.send(
          JSON.stringify([
            `meeting.${name}`,
            { cid, ...gus.socket.identity, ssid: socketId, ...payload },
          ]),
        );
      });
    const granted = await request('a', 'upstream-request-access', { deviceId: 'd' });
    await request('e', 'upstream-peer-enter', { rtpCapabilities: granted.routerRtpCapabilities });
    const gusPeer = String(granted.peer_id);

    expect(await closeCode).toBe(1006);
    await waitFor(
      () => pushed(halConn, 'downstream-peer-left').map((left) => left.peer_id),
      (ids) => ids.includes(gusPeer),
      { what: 'Gus dropped' },
    );
    // Hal, whose client pings, stays.
    expect(halConn.raw.readyState).toBe(NodeWebSocket.OPEN);
    halConn.socket.close();
  });

  test('a client that never enters after access is sent away and leaves nothing behind', async () => {
    const ivy = await guestOn(host, 'Ivy');
    const conn = await connect(host, ivy);
    const granted = await requestAccess(conn.socket, 'd');
    const room = host.rooms.get(ivy.room.room_id)!;
    await waitFor(
      () => pushed(conn, 'downstream-room-closed'),
      (closed) => closed.length === 1,
      { what: 'join timeout' },
    );
    expect(pushed(conn, 'downstream-room-closed')[0]).toMatchObject({ reason: 'join_timeout' });
    expect(room.peers.has(granted.peer_id)).toBe(false);
    // Ivy was alone: then the room itself closed, taking its router along.
    const transportIds = room.isClosed ? [] : (await room.router.dump()).transportIds;
    expect(transportIds).not.toContain(granted.sendTransport.id);
    expect(transportIds).not.toContain(granted.recvTransport.id);
    // It may ask again, and stays once it enters.
    await enter(conn);
    conn.socket.close();
  });

  test('a page that closes (going away) leaves at once, without a grace period', async () => {
    const [jo, kit] = [await guestOn(host, 'Jo'), await guestOn(host, 'Kit')];
    const joConn = await connect(host, jo);
    const joPeer = (await enter(joConn)).peer_id;
    const kitConn = await connect(host, kit);
    await enter(kitConn);
    joConn.raw.close(1001);
    await waitFor(
      () => pushed(kitConn, 'downstream-peer-left').map((left) => left.peer_id),
      (ids) => ids.includes(joPeer),
      { what: 'Jo left' },
    );
    expect(
      pushed(kitConn, 'downstream-peers-list').some((list) =>
        list.peers.some((peer) => peer.peer_id === joPeer && peer.reconnecting),
      ),
    ).toBe(false);
    kitConn.socket.close();
  });
});

test('a host that stops on purpose tells everyone the meeting ended, then closes as going away', async () => {
  const host = await startTestHost();
  const lee = await guestOn(host, 'Lee');
  const conn = await connect(host, lee);
  await enter(conn);
  await host.dispose();
  expect(await conn.closeCode).toBe(1001);
  expect(pushed(conn, 'downstream-room-closed')).toEqual([
    expect.objectContaining({ reason: 'host_ended' }),
  ]);
});
