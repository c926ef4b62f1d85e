import { afterAll, beforeAll, expect, test } from 'vitest';
import type { DownstreamPayloads } from '../../shared/protocol/messages';
import {
  joinAsGuest,
  openBoundSocket,
  startTestHost,
  type TestGuest,
  type TestHost,
  requestAccess,
} from '../../testing/host';
import { waitFor } from '../../testing/wait';

// A socket that vanishes mid-flow leaves nothing behind: its peer, transports
// and producers go, the others are told, presence changes, and an empty room
// gives its router back.

let host: TestHost;

beforeAll(async () => {
  host = await startTestHost();
});

afterAll(async () => {
  await host?.dispose();
});

/** A guest whose socket can be cut without a closing handshake (ws's terminate()). */
async function killableGuest(name: string): Promise<TestGuest & { kill(): void }> {
  const guest = await joinAsGuest(host, name);
  guest.socket.close();
  const { socket, raw } = await openBoundSocket(host, guest);
  return { ...guest, socket, kill: () => raw.terminate() };
}

async function enter(guest: TestGuest) {
  const granted = await requestAccess(guest.socket, 'd');
  await guest.socket.request('upstream-peer-enter', {
    rtpCapabilities: granted.routerRtpCapabilities as never,
  });
  return granted;
}

function collect<N extends 'downstream-peer-left' | 'downstream-presence'>(
  guest: TestGuest,
  name: N,
) {
  const seen: DownstreamPayloads[N][] = [];
  guest.socket.on(name, (payload) => seen.push(payload));
  return seen;
}

async function orphanCheck() {
  const [worker] = host.pool.workers;
  const serverDump = await worker!.webRtcServer.dump();
  const workerDump = await worker!.worker.dump();
  return { transports: serverDump.webRtcTransportIds, routers: workerDump.routerIds };
}

test('a killed socket is cleaned up and announced; the last one out releases the router', async () => {
  const ada = await killableGuest('Ada');
  const adaAccess = await enter(ada);
  const leftSeen = collect(ada, 'downstream-peer-left');
  const presenceSeen = collect(ada, 'downstream-presence');
  const room = host.rooms.get(ada.room.room_id)!;

  // Ben is killed between access and enter: nobody was told of him, nothing of his stays.
  const ben = await killableGuest('Ben');
  await requestAccess(ben.socket, 'd');
  expect((await room.router.dump()).transportIds).toHaveLength(4);
  ben.kill();
  await waitFor(
    async () => (await room.router.dump()).transportIds.length,
    (n) => n === 2,
    {
      what: "Ben's transports to close",
    },
  );

  // Cy is killed after entering: Ada is told and sees him go offline.
  const cy = await killableGuest('Cy');
  const cyAccess = await enter(cy);
  cy.kill();
  await waitFor(
    () => leftSeen.map((m) => m.peer_id),
    (ids) => ids.includes(cyAccess.peer_id),
    {
      what: 'peer-left for Cy',
    },
  );
  expect(leftSeen.map((m) => m.user_id)).not.toContain(ben.userId);
  await waitFor(
    () => presenceSeen.filter((m) => m.user_id === cy.userId).at(-1)?.online,
    (online) => online === '0',
    { what: 'Cy offline' },
  );
  expect([...room.peers.keys()]).toEqual([adaAccess.peer_id]);
  expect((await room.router.dump()).transportIds.sort()).toEqual(
    [adaAccess.sendTransport.id, adaAccess.recvTransport.id].sort(),
  );

  // Ada is last: the room closes and its router is released.
  ada.kill();
  await waitFor(
    () => host.rooms.get(ada.room.room_id),
    (live) => live === undefined,
    { what: 'room closed' },
  );
  expect(room.router.closed).toBe(true);
  expect(await orphanCheck()).toEqual({ transports: [], routers: [] });
});

test('after many joins and leaves nothing is left on the worker', async () => {
  for (let round = 0; round < 3; round++) {
    const guests = await Promise.all(
      ['A', 'B', 'C'].map((name) => killableGuest(`${name}${round}`)),
    );
    await Promise.all(guests.map(enter));
    await guests[0]!.socket.request('upstream-leave', {});
    guests[1]!.kill();
    guests[2]!.socket.close();
    guests[0]!.kill();
  }
  await waitFor(orphanCheck, (left) => left.transports.length === 0 && left.routers.length === 0, {
    what: 'no transports or routers left',
  });
  expect(host.rooms.size).toBe(0);
});
