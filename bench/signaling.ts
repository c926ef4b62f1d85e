import autocannon from 'autocannon';
import { AUTH_HEADER } from '../shared/protocol/services';
import { joinAsGuest, startTestHost, requestAccess } from '../testing/host';
import { percentile, round } from './lib';

/**
 * Service calls under load (autocannon: 20 connections for 5 s on
 * hub.get_members_by_type, a call that reads SQLite) and WebSocket
 * round trips with 50 sockets in one room, each sending 20 messages
 * that the host acknowledges.
 */
export async function benchSignaling() {
  const host = await startTestHost();
  try {
    const caller = await joinAsGuest(host, 'Bench caller');
    const load = await autocannon({
      url: `${host.origin}/-/svc/hub.get_members_by_type`,
      method: 'POST',
      connections: 20,
      duration: 5,
      headers: { 'content-type': 'application/json', [AUTH_HEADER]: caller.services.auth! },
      body: JSON.stringify({
        service: 'hub.get_members_by_type',
        socket_id: caller.socket.socketId,
        device_id: 'bench',
        hub_id: host.hub.id,
        type: 'all',
      }),
    });

    const sockets = await Promise.all(
      Array.from({ length: 50 }, (_, i) => joinAsGuest(host, `Socket ${i}`)),
    );
    await Promise.all(sockets.map((guest) => requestAccess(guest.socket, 'bench')));
    const rtts: number[] = [];
    await Promise.all(
      sockets.map(async (guest) => {
        for (let i = 0; i < 20; i++) {
          const start = performance.now();
          await guest.socket.request('upstream-icecandidate', {
            candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' },
          });
          rtts.push(performance.now() - start);
        }
      }),
    );
    for (const guest of [caller, ...sockets]) guest.socket.close();
    return {
      serviceCallsPerSecond: round(load.requests.average, 0),
      serviceCallP99Ms: load.latency.p99,
      serviceCallErrors: load.errors + load.non2xx,
      wsRoundTripP50Ms: round(percentile(rtts, 50), 2),
      wsRoundTripP99Ms: round(percentile(rtts, 99), 2),
      wsMessages: rtts.length,
    };
  } finally {
    await host.dispose();
  }
}
