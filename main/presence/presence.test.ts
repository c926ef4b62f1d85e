import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { OnlineStatus } from '../../shared/protocol/services';
import { openDatabase } from '../storage/database';
import { HubStore, type Hub } from '../storage/hub-store';
import { Presence } from './presence';

let dir: string;
let db: DatabaseSync;
let store: HubStore;
let other: DatabaseSync;
let hub: Hub;
let published: [string, string, OnlineStatus][];
let warnings: string[];
let presence: Presence;

function newPresence() {
  const log = pino(
    { level: 'warn' },
    { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) },
  );
  return new Presence(store, (...event) => published.push(event), {
    log,
    retry: { firstDelayMs: 50, maxDelayMs: 200 },
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roundtable-presence-'));
  db = openDatabase(join(dir, 'roundtable.db'));
  store = new HubStore(db);
  other = new DatabaseSync(join(dir, 'roundtable.db'));
  hub = store.defaultHub();
  published = [];
  warnings = [];
  presence = newPresence();
});

afterEach(() => {
  vi.useRealTimers();
  presence.close();
  if (other.isTransaction) other.exec('ROLLBACK');
  other.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function stored(userId: string): OnlineStatus {
  return store.membersOf(hub.id).find((member) => member.id === userId)!.online;
}

test('with healthy storage every change is stored and published at once', () => {
  const { user } = store.createGuest(hub.id, 'Ana', 'd', 7);
  presence.socketBound(user.id);
  expect(stored(user.id)).toBe('1');
  presence.enteredMeeting(user.id);
  expect(stored(user.id)).toBe('2');
  presence.socketClosed(user.id);
  expect(stored(user.id)).toBe('0');
  expect(published.map(([, , online]) => online)).toEqual(['1', '2', '0']);
  expect(presence.pendingWrites).toBe(0);
});

test('a locked database neither throws nor stops publishing; the store catches up when it is released', async () => {
  const ana = store.createGuest(hub.id, 'Ana', 'd', 7).user;
  const bo = store.createGuest(hub.id, 'Bo', 'd', 7).user;
  presence.socketBound(ana.id);
  presence.enteredMeeting(ana.id);
  presence.socketBound(bo.id);
  published.length = 0;

  other.exec('BEGIN EXCLUSIVE');
  other.exec(`INSERT INTO settings (key, value) VALUES ('locker', 'x')`);
  expect(() => {
    presence.leftMeeting(ana.id);
    presence.socketClosed(ana.id);
    presence.choose(bo.id, '2');
    presence.enteredMeeting(bo.id);
  }).not.toThrow();
  expect(published).toEqual([
    [hub.id, ana.id, '1'],
    [hub.id, ana.id, '0'],
    [hub.id, bo.id, '2'],
  ]);
  // Storage still has the old statuses; the member list shows the live ones.
  expect([stored(ana.id), stored(bo.id)]).toEqual(['2', '1']);
  const live = presence.withLiveStatus(store.membersOf(hub.id));
  expect(live.map((member) => [member.fullname, member.online])).toEqual([
    ['Ana', '0'],
    ['Bo', '2'],
  ]);
  expect(presence.pendingWrites).toBe(2);
  expect(warnings).toEqual([
    'cannot store presence; retrying in the background until storage works again',
  ]);

  other.exec('COMMIT');
  // The background retry (an unref'd timer) stores both.
  await vi.waitFor(() => expect([stored(ana.id), stored(bo.id)]).toEqual(['0', '2']));
  expect(presence.pendingWrites).toBe(0);
  expect(warnings).toHaveLength(1);
});

test('a startup reset that could not be stored is stored with the first write that can be', () => {
  const ana = store.createGuest(hub.id, 'Ana', 'd', 7).user;
  const bo = store.createGuest(hub.id, 'Bo', 'd', 7).user;
  store.setOnlineStatuses([
    [ana.id, '2'],
    [bo.id, '2'],
  ]);
  presence.close();
  // A restart with the database held by another process.
  other.exec('BEGIN EXCLUSIVE');
  other.exec(`INSERT INTO settings (key, value) VALUES ('locker', 'x')`);
  expect(store.resetOnlineStatuses()).toBe(false);
  presence = newPresence();
  presence.socketBound(bo.id);
  expect(presence.pendingWrites).toBe(2);
  other.exec('COMMIT');
  expect(presence.flush()).toBe(true);
  expect([stored(ana.id), stored(bo.id)]).toEqual(['0', '1']);
});

test('a store that cannot even be read does not break the socket path', () => {
  const ana = store.createGuest(hub.id, 'Ana', 'd', 7).user;
  presence.socketBound(ana.id);
  db.close();
  expect(() => presence.socketClosed(ana.id)).not.toThrow();
  // Published to the hubs known from before.
  expect(published.at(-1)).toEqual([hub.id, ana.id, '0']);
  expect(presence.statusOf(ana.id)).toBe('0');
  db = openDatabase(join(dir, 'roundtable.db'));
});

test('a publisher that throws does not break the socket path either', () => {
  const ana = store.createGuest(hub.id, 'Ana', 'd', 7).user;
  const throwing = new Presence(
    store,
    () => {
      throw new Error('bug');
    },
    { log: pino({ level: 'silent' }) },
  );
  expect(() => throwing.socketBound(ana.id)).not.toThrow();
  expect(stored(ana.id)).toBe('1');
  throwing.close();
});

test('once the host has closed its database, retries stop instead of failing forever', () => {
  vi.useFakeTimers();
  const ana = store.createGuest(hub.id, 'Ana', 'd', 7).user;
  other.exec('BEGIN EXCLUSIVE');
  other.exec(`INSERT INTO settings (key, value) VALUES ('locker', 'x')`);
  presence.socketBound(ana.id);
  expect(vi.getTimerCount()).toBe(1);
  other.exec('ROLLBACK');
  db.close();
  vi.advanceTimersByTime(10_000);
  expect(vi.getTimerCount()).toBe(0);
  expect(warnings).toHaveLength(1);
  db = openDatabase(join(dir, 'roundtable.db'));
});
