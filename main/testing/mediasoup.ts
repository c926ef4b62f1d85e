import * as mediasoup from 'mediasoup';

/**
 * A worker for tests, from the same binary the host uses: MEDIASOUP_WORKER_BIN
 * (written to .env by scripts/setup.sh) or mediasoup's own.
 */
export function createTestWorker(): Promise<mediasoup.types.Worker> {
  return mediasoup.createWorker({ logLevel: 'warn' });
}

/** Polls `read` until it returns a value that `accept` takes, or fails after `timeoutMs`. */
export async function waitFor<T>(
  read: () => Promise<T> | T,
  accept: (value: T) => boolean,
  { timeoutMs = 20_000, intervalMs = 200, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await read();
  }
  return last;
}
