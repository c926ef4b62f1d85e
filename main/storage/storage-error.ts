import type { DatabaseSync } from 'node:sqlite';
import { HostError } from '../host/host-error';

/**
 * SQLite's primary result codes that mean "storage cannot do this now", not
 * "this request or our SQL is wrong": the database is busy or locked by
 * another process, the disk is full, read-only or failing, or the file cannot
 * be opened. They become HostError('unavailable'): HTTP 503, try again later.
 * Anything else (a constraint, an SQL error) is a bug and stays an internal error.
 */
const UNAVAILABLE_CODES = new Set([
  5, // SQLITE_BUSY
  6, // SQLITE_LOCKED
  7, // SQLITE_NOMEM
  8, // SQLITE_READONLY
  10, // SQLITE_IOERR
  11, // SQLITE_CORRUPT
  13, // SQLITE_FULL
  14, // SQLITE_CANTOPEN
  15, // SQLITE_PROTOCOL
  26, // SQLITE_NOTADB
]);

export const WRITE_UNAVAILABLE =
  'the host cannot write its data right now (its disk is full or its database is in use by another program); try again in a moment';
export const READ_UNAVAILABLE =
  'the host cannot read its data right now (its database is in use by another program); try again in a moment';

/** True for an error that says the storage, not the caller, is the problem right now. */
export function isStorageUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, errcode } = error as { code?: string; errcode?: number };
  if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number')
    return UNAVAILABLE_CODES.has(errcode & 0xff);
  // node:sqlite after close (a host shutting down while a retry fires).
  return code === 'ERR_INVALID_STATE' && /database is not open/.test(error.message);
}

/** `error` as the HostError a door should answer with: 'unavailable' for storage trouble, else unchanged. */
export function asStorageError(error: unknown, action: 'read' | 'write'): unknown {
  if (!isStorageUnavailable(error)) return error;
  const hostError = new HostError(
    'unavailable',
    action === 'write' ? WRITE_UNAVAILABLE : READ_UNAVAILABLE,
  );
  hostError.cause = error;
  return hostError;
}

/**
 * Runs `work` in one write transaction: all of it is stored or none of it.
 * BEGIN IMMEDIATE takes the write lock up front, so a busy database fails
 * here, after at most the busy timeout, before anything is written. On any
 * failure the transaction is rolled back; the original error is rethrown even
 * when the rollback fails too (SQLite already rolls back by itself on
 * SQLITE_FULL and I/O errors, and a second error would only hide the first).
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  // A transaction left open by a rollback that failed earlier would make
  // every later BEGIN fail: close it first.
  if (db.isOpen && db.isTransaction) rollbackQuietly(db);
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    rollbackQuietly(db);
    throw error;
  }
}

function rollbackQuietly(db: DatabaseSync): void {
  if (!db.isOpen || !db.isTransaction) return;
  try {
    db.exec('ROLLBACK');
  } catch {
    // Nothing better to do: the caller rethrows the error that caused this,
    // and the next inTransaction tries again before it begins.
  }
}
