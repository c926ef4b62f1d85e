// Undo-on-failure for the REST door's all-or-nothing requests: what a request
// made is recorded as it goes, and taken back in reverse when it fails.

/** A request's way back: run in reverse when it fails, so a failed request changes nothing. */
export type Undo = (() => void)[];

/**
 * Runs `request`; when it fails, undoes what it did (last made, first
 * undone, every step even if one throws) and fails with the first error.
 */
export async function undoing<T>(undo: Undo, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // Closing what is already closed; the request's own error says what went wrong.
      }
    }
    throw error;
  }
}

/**
 * Promise.all that waits for every promise before failing: a request undoes
 * its work only once nothing of it is still running (else a late step would
 * add to what was already undone).
 */
export async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}
