import * as mediasoup from 'mediasoup';

/**
 * A worker for tests, from the same binary the host uses: MEDIASOUP_WORKER_BIN
 * (written to .env by scripts/setup.sh) or mediasoup's own.
 */
export function createTestWorker(): Promise<mediasoup.types.Worker> {
  return mediasoup.createWorker({ logLevel: 'warn' });
}
