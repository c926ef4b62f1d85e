import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Logger } from '../host/logger';
import { inTransaction, isStorageUnavailable } from './storage-error';

// Node's built-in SQLite (also inside Electron 45, which embeds Node 24): no
// native module to rebuild per Electron version.

/**
 * How long a write waits for another connection's lock before it fails with
 * SQLITE_BUSY. node:sqlite is synchronous on the main thread, so this wait
 * freezes every meeting on the host: keep it short and let callers retry
 * (presence) or answer 503 (requests). 200 ms rides out a checkpoint or a
 * backup step; a longer hold is an outage the host must degrade through.
 */
export const BUSY_TIMEOUT_MS = 200;

/** Each entry moves the schema one version up; never edit a shipped entry, append a new one. */
const MIGRATIONS: string[] = [
  `CREATE TABLE hubs (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     invite_secret TEXT NOT NULL,
     owner_key TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE users (
     id TEXT PRIMARY KEY,
     fullname TEXT NOT NULL,
     device_id TEXT NOT NULL,
     auth_hash TEXT NOT NULL UNIQUE,
     online_status INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE hub_members (
     hub_id TEXT NOT NULL REFERENCES hubs(id) ON DELETE CASCADE,
     user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     privilege INTEGER NOT NULL,
     joined_at INTEGER NOT NULL,
     PRIMARY KEY (hub_id, user_id)
   );
   CREATE TABLE settings (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
  // When each account last joined: accounts away too long are forgotten (HubStore.forgetAbsent).
  `ALTER TABLE users ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
   UPDATE users SET last_seen_at = created_at;
   CREATE INDEX users_last_seen ON users (last_seen_at);`,
];

/**
 * Opens (creating or migrating) the host's database. On a full disk, SQLite
 * cannot create the 32 KiB shared-memory index WAL needs (-shm, removed when
 * the host last closed cleanly), so the database would not even open for
 * reading and the host could not restart until someone freed space. Then it
 * opens in exclusive locking mode, where WAL keeps its index in the host's
 * memory: everything already stored can be read, writes fail with
 * 'unavailable' until space is back and then work again; only other
 * processes (a backup) cannot read the file until the host restarts.
 */
export function openDatabase(path: string, log?: Logger): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  try {
    return openWith(path, false);
  } catch (error) {
    if (path !== ':memory:' && isCorrupt(error)) return startFresh(path, error, log);
    if (path === ':memory:' || !isStorageUnavailable(error)) throw error;
    let db: DatabaseSync;
    try {
      db = openWith(path, true);
    } catch {
      throw error;
    }
    const message =
      'the database could not open normally (disk full?); it is open for this host alone until it restarts';
    if (log) log.warn({ err: error, path }, message);
    else process.emitWarning(`${message}: ${(error as Error).message}`, 'RoundtableStorage');
    return db;
  }
}

/** SQLITE_CORRUPT, SQLITE_NOTADB, or a failed integrity check: the file cannot be trusted. */
function isCorrupt(error: unknown): boolean {
  if (error instanceof CorruptDatabaseError) return true;
  const { code, errcode } = error as { code?: string; errcode?: number };
  return code === 'ERR_SQLITE_ERROR' && [11, 26].includes((errcode ?? 0) & 0xff);
}

class CorruptDatabaseError extends Error {}

/**
 * A damaged database is moved aside (with its -wal and -shm) under a
 * timestamped name and the host starts with a fresh one: a new hub, new
 * invite and owner links, everyone signs up again. Better than a host that
 * cannot start; the old file stays for whoever wants to recover from it.
 * Returns the fresh database.
 */
function startFresh(path: string, error: unknown, log: Logger | undefined): DatabaseSync {
  const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm'])
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  const message =
    `the database was damaged and could not be read; it was moved to ${aside} and the host starts ` +
    'with a new one: new invite and owner links, and everyone joins again as new';
  if (log) log.error({ err: error, movedTo: aside }, message);
  else process.emitWarning(message, 'RoundtableStorage');
  return openWith(path, false);
}

function openWith(path: string, exclusive: boolean): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    if (exclusive) db.exec('PRAGMA locking_mode = EXCLUSIVE');
    // WAL: readers never wait for a writer, so credentials and member lists
    // still load while another process holds the write lock or the disk is
    // full. synchronous=NORMAL is WAL's recommended level: a commit survives
    // a crash of the host; only a power cut can lose the last commits.
    db.exec(
      `PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}; PRAGMA journal_mode = WAL; ` +
        'PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;',
    );
    // Cheap on the host's small database, and it catches damage a plain open does not.
    const { quick_check: check } = db.prepare('PRAGMA quick_check').get() as {
      quick_check: string;
    };
    if (check !== 'ok') throw new CorruptDatabaseError(`integrity check failed: ${check}`);
    const { user_version: version } = db.prepare('PRAGMA user_version').get() as {
      user_version: number;
    };
    for (let next = version; next < MIGRATIONS.length; next++) {
      inTransaction(db, () => {
        db.exec(MIGRATIONS[next]!);
        db.exec(`PRAGMA user_version = ${next + 1}`);
      });
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
