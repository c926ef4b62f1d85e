import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import {
  ONLINE,
  PRIVILEGE,
  type HubMember,
  type OnlineStatus,
} from '../../shared/protocol/services';
import { HostError } from '../host/host-error';
import { asStorageError, inTransaction } from './storage-error';

export interface Hub {
  id: string;
  name: string;
  inviteSecret: string;
  ownerKey: string;
}

export interface User {
  id: string;
  fullname: string;
  deviceId: string;
}

/** Ids in the seed's style: 16 hex digits. */
export function newId(): string {
  return randomBytes(8).toString('hex');
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

interface MemberRow {
  id: string;
  fullname: string;
  privilege: number;
  online_status: number;
}

/**
 * Hubs, the people in them and their credentials, in SQLite. Credentials are
 * random tokens of which only a hash is stored.
 *
 * Storage can fail for reasons outside the host (a full disk, another process
 * holding the database): every method then throws HostError('unavailable')
 * (HTTP 503) rather than SQLite's own error, and every write that touches
 * more than one row is one transaction, so a failed write leaves nothing
 * behind. Reads keep working through a write outage (WAL). See docs/storage.md.
 */
export class HubStore {
  constructor(private readonly db: DatabaseSync) {}

  /** False once the host has closed the database: nothing more will be stored. */
  get isOpen(): boolean {
    return this.db.isOpen;
  }

  /** The host's own hub, created on first run: everyone invited joins it. */
  defaultHub(): Hub {
    const existing = this.getSetting('default_hub_id');
    if (existing) {
      const hub = this.getHub(existing);
      if (hub) return hub;
    }
    // The hub and the setting that points at it, together or not at all.
    return this.write(() =>
      inTransaction(this.db, () => {
        const hub = this.insertHub('Roundtable');
        this.upsertSetting('default_hub_id', hub.id);
        return hub;
      }),
    );
  }

  createHub(name: string): Hub {
    return this.write(() => this.insertHub(name));
  }

  private insertHub(name: string): Hub {
    const hub: Hub = {
      id: newId(),
      name,
      inviteSecret: randomBytes(12).toString('base64url'),
      ownerKey: randomBytes(18).toString('base64url'),
    };
    this.db
      .prepare(
        'INSERT INTO hubs (id, name, invite_secret, owner_key, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(hub.id, hub.name, hub.inviteSecret, hub.ownerKey, Date.now());
    return hub;
  }

  getHub(id: string): Hub | undefined {
    const row = this.read(
      () =>
        this.db
          .prepare('SELECT id, name, invite_secret, owner_key FROM hubs WHERE id = ?')
          .get(id) as
          { id: string; name: string; invite_secret: string; owner_key: string } | undefined,
    );
    return (
      row && {
        id: row.id,
        name: row.name,
        inviteSecret: row.invite_secret,
        ownerKey: row.owner_key,
      }
    );
  }

  /**
   * The privilege an invite grants in a hub: the owner key makes an owner, the
   * invite secret a member, anything else nothing.
   */
  privilegeForInvite(hub: Hub, invite: string): number | undefined {
    if (sameSecret(invite, hub.ownerKey)) return PRIVILEGE.owner;
    if (sameSecret(invite, hub.inviteSecret)) return PRIVILEGE.member;
    return undefined;
  }

  /** Creates a user with a display name, makes them a member and returns their credential. */
  createGuest(
    hubId: string,
    fullname: string,
    deviceId: string,
    privilege: number,
  ): { user: User; token: string } {
    const user: User = { id: newId(), fullname, deviceId };
    const token = randomBytes(24).toString('base64url');
    const now = Date.now();
    this.write(() =>
      inTransaction(this.db, () => {
        this.db
          .prepare(
            'INSERT INTO users (id, fullname, device_id, auth_hash, created_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(user.id, fullname, deviceId, hashToken(token), now);
        this.db
          .prepare(
            'INSERT INTO hub_members (hub_id, user_id, privilege, joined_at) VALUES (?, ?, ?, ?)',
          )
          .run(hubId, user.id, privilege, now);
      }),
    );
    return { user, token };
  }

  authenticate(token: string): User | undefined {
    const row = this.read(
      () =>
        this.db
          .prepare('SELECT id, fullname, device_id FROM users WHERE auth_hash = ?')
          .get(hashToken(token)) as { id: string; fullname: string; device_id: string } | undefined,
    );
    return row && { id: row.id, fullname: row.fullname, deviceId: row.device_id };
  }

  /** The user's privilege in the hub, or undefined when they are not a member. */
  privilegeOf(hubId: string, userId: string): number | undefined {
    const row = this.read(
      () =>
        this.db
          .prepare('SELECT privilege FROM hub_members WHERE hub_id = ? AND user_id = ?')
          .get(hubId, userId) as { privilege: number } | undefined,
    );
    return row?.privilege;
  }

  hubsOf(userId: string): string[] {
    const rows = this.read(
      () =>
        this.db.prepare('SELECT hub_id FROM hub_members WHERE user_id = ?').all(userId) as {
          hub_id: string;
        }[],
    );
    return rows.map((row) => row.hub_id);
  }

  /**
   * The hub's members with their stored online status. Presence is the
   * source of truth for who is online (a write may be waiting for storage):
   * the client door overlays Presence.statusOf on this list.
   */
  membersOf(hubId: string): HubMember[] {
    const rows = this.read(
      () =>
        this.db
          .prepare(
            `SELECT u.id, u.fullname, m.privilege, u.online_status
               FROM hub_members m JOIN users u ON u.id = m.user_id
              WHERE m.hub_id = ? ORDER BY u.fullname COLLATE NOCASE, u.id`,
          )
          .all(hubId) as unknown as MemberRow[],
    );
    return rows.map(toHubMember);
  }

  setOnlineStatus(userId: string, status: OnlineStatus): void {
    this.setOnlineStatuses([[userId, status]]);
  }

  /** Stores several users' statuses at once: one transaction, so one wait for the lock at most. */
  setOnlineStatuses(statuses: Iterable<readonly [userId: string, status: OnlineStatus]>): void {
    this.write(() =>
      inTransaction(this.db, () => {
        const update = this.db.prepare('UPDATE users SET online_status = ? WHERE id = ?');
        for (const [userId, status] of statuses) update.run(Number(status), userId);
      }),
    );
  }

  /**
   * After a restart nobody is connected: everyone starts offline. Best
   * effort: when storage cannot be written (a full disk at startup), the host
   * still starts, the stale statuses are never shown (the member list comes
   * from Presence) and Presence stores offline for everyone once it can
   * (takeStaleOnlineStatuses). Returns whether the reset was stored.
   */
  resetOnlineStatuses(): boolean {
    try {
      this.write(() => this.resetStatuses());
      this.staleOnlineStatuses = false;
      return true;
    } catch (error) {
      if (!(error instanceof HostError) || error.reason !== 'unavailable') throw error;
      this.staleOnlineStatuses = true;
      return false;
    }
  }

  private staleOnlineStatuses = false;

  /** True once when resetOnlineStatuses could not be stored: the caller now owns retrying it. */
  takeStaleOnlineStatuses(): boolean {
    const stale = this.staleOnlineStatuses;
    this.staleOnlineStatuses = false;
    return stale;
  }

  /**
   * Offline for everyone, then `statuses` for those connected: what Presence
   * stores when the startup reset could not be.
   */
  resetOnlineStatusesTo(statuses: Iterable<readonly [userId: string, status: OnlineStatus]>): void {
    this.write(() =>
      inTransaction(this.db, () => {
        this.resetStatuses();
        const update = this.db.prepare('UPDATE users SET online_status = ? WHERE id = ?');
        for (const [userId, status] of statuses) update.run(Number(status), userId);
      }),
    );
  }

  private resetStatuses(): void {
    this.db
      .prepare('UPDATE users SET online_status = ? WHERE online_status <> ?')
      .run(Number(ONLINE.offline), Number(ONLINE.offline));
  }

  /**
   * The hub's room of a type: a stable id, so invite links and clients survive
   * a restart. Only the first call for a room writes; later calls only read,
   * so people already in a meeting can rejoin while storage is down.
   */
  roomIdFor(hubId: string, roomType: string): string {
    const key = `room:${hubId}:${roomType}`;
    const existing = this.getSetting(key);
    if (existing) return existing;
    const id = newId();
    this.setSetting(key, id);
    return id;
  }

  getSetting(key: string): string | undefined {
    const row = this.read(
      () =>
        this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
          { value: string } | undefined,
    );
    return row?.value;
  }

  setSetting(key: string, value: string): void {
    this.write(() => this.upsertSetting(key, value));
  }

  private upsertSetting(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  private read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw asStorageError(error, 'read');
    }
  }

  private write<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw asStorageError(error, 'write');
    }
  }
}

/** A display name as the seed's first and last name (guests give one name; the last may be null). */
export function nameParts(fullname: string): { firstname: string; lastname: string | null } {
  const [firstname = fullname, ...rest] = fullname.split(' ');
  return { firstname, lastname: rest.length ? rest.join(' ') : null };
}

function toHubMember(row: MemberRow): HubMember {
  return {
    page: 1,
    id: row.id,
    privilege: row.privilege,
    email: null,
    ...nameParts(row.fullname),
    fullname: row.fullname,
    surname: row.fullname,
    online: String(row.online_status) as OnlineStatus,
    is_drumate: 1,
    status: 'active',
    contact_id: null,
  };
}
