import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { HostError } from '../host/host-error';
import { BUSY_TIMEOUT_MS, openDatabase } from './database';
import { HubStore } from './hub-store';
import { inTransaction, isStorageUnavailable } from './storage-error';

let dir: string;
let path: string;
let db: DatabaseSync;
let store: HubStore;
/** Another process's connection (a backup, a sqlite3 shell). */
let other: DatabaseSync;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roundtable-store-'));
  path = join(dir, 'roundtable.db');
  db = openDatabase(path);
  store = new HubStore(db);
  other = new DatabaseSync(path);
});

afterEach(() => {
  if (other.isOpen) {
    if (other.isTransaction) other.exec('ROLLBACK');
    other.close();
  }
  if (db.isOpen) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function count(table: string): number {
  return (other.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** Holds the write lock the way `sqlite3` does inside BEGIN EXCLUSIVE. */
function lockFromOtherProcess() {
  other.exec('BEGIN EXCLUSIVE');
  other.exec(`INSERT INTO settings (key, value) VALUES ('locker', 'x')`);
}

test('the database runs in WAL with foreign keys and a short busy timeout', () => {
  const pragma = (name: string) => Object.values(db.prepare(`PRAGMA ${name}`).get()!)[0];
  expect(pragma('journal_mode')).toBe('wal');
  expect(pragma('foreign_keys')).toBe(1);
  expect(pragma('busy_timeout')).toBe(BUSY_TIMEOUT_MS);
  expect(BUSY_TIMEOUT_MS).toBeLessThanOrEqual(250);
});

describe('another process holds the write lock', () => {
  test('a guest sign-up fails as unavailable and writes nothing', () => {
    const hub = store.defaultHub();
    const users = count('users');
    lockFromOtherProcess();
    const failure = (() => {
      try {
        store.createGuest(hub.id, 'Ana', 'device', 7);
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(HostError);
    expect(failure).toMatchObject({ reason: 'unavailable' });
    expect((failure as Error).message).toMatch(/cannot write its data right now/);
    expect(isStorageUnavailable((failure as Error).cause)).toBe(true);
    expect(db.isTransaction).toBe(false);
    other.exec('ROLLBACK');
    expect(count('users')).toBe(users);
    // And once the lock is gone the same call works.
    expect(store.createGuest(hub.id, 'Ana', 'device', 7).user.fullname).toBe('Ana');
  });

  test('reads keep working: credentials, members, hubs, room ids', () => {
    const hub = store.defaultHub();
    const { user, token } = store.createGuest(hub.id, 'Ana', 'device', 7);
    const roomId = store.roomIdFor(hub.id, 'meeting');
    lockFromOtherProcess();
    expect(store.authenticate(token)?.id).toBe(user.id);
    expect(store.privilegeOf(hub.id, user.id)).toBe(7);
    expect(store.hubsOf(user.id)).toEqual([hub.id]);
    expect(store.membersOf(hub.id).map((member) => member.id)).toEqual([user.id]);
    expect(store.roomIdFor(hub.id, 'meeting')).toBe(roomId);
    expect(store.defaultHub().id).toBe(hub.id);
  });

  test('a new room id, a setting and online statuses fail as unavailable', () => {
    const hub = store.defaultHub();
    const { user } = store.createGuest(hub.id, 'Ana', 'device', 7);
    lockFromOtherProcess();
    expect(() => store.roomIdFor(hub.id, 'webinar')).toThrow(
      expect.objectContaining({ reason: 'unavailable' }),
    );
    expect(() => store.setSetting('k', 'v')).toThrow(
      expect.objectContaining({ reason: 'unavailable' }),
    );
    expect(() =>
      store.setOnlineStatuses([
        [user.id, '1'],
        [user.id, '2'],
      ]),
    ).toThrow(expect.objectContaining({ reason: 'unavailable' }));
    other.exec('ROLLBACK');
    expect(store.getSetting('room:' + hub.id + ':webinar')).toBeUndefined();
    expect(store.membersOf(hub.id)[0]!.online).toBe('0');
  });

  test('the startup reset of online statuses does not stop the host; it is owed instead', () => {
    const hub = store.defaultHub();
    const { user } = store.createGuest(hub.id, 'Ana', 'device', 7);
    store.setOnlineStatus(user.id, '2');
    lockFromOtherProcess();
    expect(store.resetOnlineStatuses()).toBe(false);
    expect(store.takeStaleOnlineStatuses()).toBe(true);
    expect(store.takeStaleOnlineStatuses()).toBe(false);
    other.exec('ROLLBACK');
    store.resetOnlineStatusesTo([]);
    expect(store.membersOf(hub.id)[0]!.online).toBe('0');
  });
});

test('a write that fails half-way leaves nothing behind', () => {
  store.defaultHub();
  // The second insert (membership of a hub that does not exist) fails after the first succeeded.
  expect(() => store.createGuest('no-such-hub', 'Ana', 'device', 7)).toThrow(/FOREIGN KEY/);
  expect(count('users')).toBe(0);
  expect(count('hub_members')).toBe(0);
  expect(db.isTransaction).toBe(false);
});

test('a rollback that fails does not hide the error that caused it, and the next write works', () => {
  const hub = store.defaultHub();
  // A connection whose ROLLBACK fails (as it can after an I/O error).
  let rollbackFails = true;
  const flaky = new Proxy(db, {
    get(target, key) {
      if (key === 'exec')
        return (sql: string) => {
          if (sql === 'ROLLBACK' && rollbackFails) throw new Error('disk I/O error');
          return target.exec(sql);
        };
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const cause = new Error('the real cause');
  expect(() =>
    inTransaction(flaky, () => {
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('half', 'written');
      throw cause;
    }),
  ).toThrow(cause);
  // The transaction is still open (the rollback failed); the next one closes it first.
  expect(db.isTransaction).toBe(true);
  rollbackFails = false;
  const flakyStore = new HubStore(flaky);
  flakyStore.createGuest(hub.id, 'Bo', 'device', 7);
  expect(count('users')).toBe(1);
  expect(store.getSetting('half')).toBeUndefined();
});

test('after SQLite rolled back by itself, no second ROLLBACK is tried', () => {
  const statements: string[] = [];
  const watched = new Proxy(db, {
    get(target, key) {
      if (key === 'exec')
        return (sql: string) => {
          statements.push(sql);
          return target.exec(sql);
        };
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const full = Object.assign(new Error('database or disk is full'), {
    code: 'ERR_SQLITE_ERROR',
    errcode: 13,
  });
  expect(() =>
    inTransaction(watched, () => {
      // What SQLite does on SQLITE_FULL: the transaction is gone when the error arrives.
      db.exec('ROLLBACK');
      throw full;
    }),
  ).toThrow(full);
  expect(statements).toEqual(['BEGIN IMMEDIATE']);
});

test('a closed database reads as unavailable, not as a crash', () => {
  const hub = store.defaultHub();
  db.close();
  expect(() => store.getHub(hub.id)).toThrow(expect.objectContaining({ reason: 'unavailable' }));
  expect(() => store.setOnlineStatus('x', '1')).toThrow(
    expect.objectContaining({ reason: 'unavailable' }),
  );
});

test('an SQL bug stays an internal error', () => {
  expect(
    isStorageUnavailable(Object.assign(new Error('x'), { code: 'ERR_SQLITE_ERROR', errcode: 1 })),
  ).toBe(false);
  expect(
    isStorageUnavailable(Object.assign(new Error('x'), { code: 'ERR_SQLITE_ERROR', errcode: 19 })),
  ).toBe(false);
  expect(
    isStorageUnavailable(Object.assign(new Error('x'), { code: 'ERR_SQLITE_ERROR', errcode: 261 })),
  ).toBe(true);
});
