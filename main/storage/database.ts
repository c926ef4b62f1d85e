import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

// Node's built-in SQLite (also inside Electron 45, which embeds Node 24): no
// native module to rebuild per Electron version.

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
];

export function openDatabase(path: string): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 2000;');
  const { user_version: version } = db.prepare('PRAGMA user_version').get() as {
    user_version: number;
  };
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.exec('BEGIN');
    try {
      db.exec(MIGRATIONS[next]!);
      db.exec(`PRAGMA user_version = ${next + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return db;
}
