import { joinAsGuest, startTestHost, type TestGuest } from '../main/testing/host';
import { rssBytes, sleep } from './lib';

/**
 * Host memory with 2, 8 and 32 participants in one room, each with its
 * socket, peer and two WebRTC transports (what joining costs before media):
 * RSS of the Node process and of the mediasoup worker, per participant above
 * an empty host.
 */
export async function benchMemory(counts = [2, 8, 32]) {
  const results: {
    participants: number;
    nodeMiB: number;
    workerMiB: number;
    perParticipantKiB: number;
  }[] = [];
  for (const count of counts) {
    const host = await startTestHost();
    try {
      const workerPid = host.pool.workers[0]!.worker.pid!;
      global.gc?.();
      await sleep(300);
      const baseline = rssBytes(process.pid) + rssBytes(workerPid);
      const guests: TestGuest[] = [];
      for (let i = 0; i < count; i++) {
        const guest = await joinAsGuest(host, `Member ${i}`);
        await guest.socket.request('upstream-request-access', { deviceId: 'bench' });
        guests.push(guest);
      }
      global.gc?.();
      await sleep(300);
      const node = rssBytes(process.pid);
      const worker = rssBytes(workerPid);
      results.push({
        participants: count,
        nodeMiB: Math.round(node / 2 ** 20),
        workerMiB: Math.round(worker / 2 ** 20),
        perParticipantKiB: Math.round((node + worker - baseline) / count / 1024),
      });
      for (const guest of guests) guest.socket.close();
    } finally {
      await host.dispose();
    }
  }
  return results;
}
