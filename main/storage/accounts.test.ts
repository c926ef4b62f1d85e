import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { PRIVILEGE } from '../../shared/protocol/services';
import { HostError } from '../host/host-error';
import { openDatabase } from './database';
import { HubStore } from './hub-store';

// Accounts in a real SQLite file, with the store's clock under the test's
// control: credentials expire with absence, absent guests leave the list,
// a revoked member's credential stops working, visitors are not members.

const DAY = 24 * 60 * 60_000;
let dir: string;
let db: DatabaseSync;
let now: number;
let store: HubStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roundtable-accounts-'));
  db = openDatabase(join(dir, 'roundtable.db'));
  now = Date.UTC(2026, 0, 1);
  store = new HubStore(db, { forgetAbsentAfterMs: 30 * DAY, now: () => now });
});

afterEach(() => {
  if (db.isOpen) db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a credential works while its account comes back, and is forgotten after 30 days away', () => {
  const hub = store.defaultHub();
  const regular = store.createGuest(hub.id, 'Regular', 'd1', PRIVILEGE.member);
  const gone = store.createGuest(hub.id, 'Gone', 'd2', PRIVILEGE.member);
  now += 20 * DAY;
  store.touch(regular.user.id);
  now += 20 * DAY;
  expect(store.authenticate(regular.token)?.fullname).toBe('Regular');
  // Past the limit: the credential no longer works, even before the sweep deletes it.
  expect(store.authenticate(gone.token)).toBeUndefined();
  expect(store.membersOf(hub.id).map((member) => member.fullname)).toEqual(['Gone', 'Regular']);
  expect(store.forgetAbsent()).toBe(1);
  expect(store.membersOf(hub.id).map((member) => member.fullname)).toEqual(['Regular']);
  expect(store.privilegeOf(hub.id, gone.user.id)).toBeUndefined();
});

test('visitors are not listed as members; a promoted visitor is', () => {
  const hub = store.defaultHub();
  const visitor = store.createGuest(hub.id, 'Vee', 'd', PRIVILEGE.visitor);
  expect(store.privilegeOf(hub.id, visitor.user.id)).toBe(PRIVILEGE.visitor);
  expect(store.membersOf(hub.id)).toEqual([]);
  store.setPrivilege(hub.id, visitor.user.id, PRIVILEGE.admin);
  expect(store.membersOf(hub.id)).toMatchObject([{ fullname: 'Vee', privilege: PRIVILEGE.admin }]);
});

test('a revoked member and their credential are gone; a new invite retires the old one', () => {
  const hub = store.defaultHub();
  const ann = store.createGuest(hub.id, 'Ann', 'd', PRIVILEGE.member);
  expect(store.revoke(hub.id, ann.user.id)).toBe(true);
  expect(store.authenticate(ann.token)).toBeUndefined();
  expect(store.revoke(hub.id, ann.user.id)).toBe(false);

  const rotated = store.rotateInvite(hub.id);
  expect(rotated.inviteSecret).not.toBe(hub.inviteSecret);
  expect(store.privilegeForInvite(rotated, hub.inviteSecret)).toBeUndefined();
  expect(store.privilegeForInvite(rotated, rotated.inviteSecret)).toBe(PRIVILEGE.member);
  expect(store.privilegeForInvite(rotated, hub.ownerKey)).toBe(PRIVILEGE.owner);
  expect(() => store.rotateInvite('nope')).toThrow(HostError);
});

test('a database from before accounts were dated keeps its accounts, dated from their creation', () => {
  db.close();
  const path = join(dir, 'old.db');
  const old = new DatabaseSync(path);
  old.exec(`CREATE TABLE hubs (id TEXT PRIMARY KEY, name TEXT NOT NULL, invite_secret TEXT NOT NULL,
              owner_key TEXT NOT NULL, created_at INTEGER NOT NULL);
            CREATE TABLE users (id TEXT PRIMARY KEY, fullname TEXT NOT NULL, device_id TEXT NOT NULL,
              auth_hash TEXT NOT NULL UNIQUE, online_status INTEGER NOT NULL DEFAULT 0,
              created_at INTEGER NOT NULL);
            CREATE TABLE hub_members (hub_id TEXT NOT NULL REFERENCES hubs(id) ON DELETE CASCADE,
              user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              privilege INTEGER NOT NULL, joined_at INTEGER NOT NULL, PRIMARY KEY (hub_id, user_id));
            CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO users VALUES ('u1', 'Old', 'd', 'hash', 0, ${now - DAY});
            PRAGMA user_version = 1;`);
  old.close();
  db = openDatabase(path);
  const row = db.prepare('SELECT last_seen_at FROM users WHERE id = ?').get('u1') as {
    last_seen_at: number;
  };
  expect(row.last_seen_at).toBe(now - DAY);
});
