import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { HubMember, OnlineStatus } from '../../shared/protocol/services';
import { OnlineStatusStore } from './online-statuses';
import { inTransaction } from './storage-error';

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

interface MemberRow {
  id: string;
  fullname: string;
  privilege: number;
  online_status: number;
}

/** How long an account may stay away before the host forgets it: its credential stops working and it leaves the member list. */
export const FORGET_ABSENT_AFTER_MS = 30 * 24 * 60 * 60_000;
/** A user's last visit is written at most this often (every join would be a write otherwise). */
const LAST_SEEN_GRANULARITY_MS = 60 * 60_000;

export interface HubStoreOptions {
  /** FORGET_ABSENT_AFTER_MS unless the host is configured otherwise. */
  forgetAbsentAfterMs?: number;
  now?: () => number;
}

/**
 * The people of the host's hubs: their accounts, credentials and privilege
 * in each hub. Credentials are random tokens of which only a hash is stored.
 * An account that has not joined for FORGET_ABSENT_AFTER_MS is forgotten
 * (forgetAbsent): a credential that leaked once does not work forever, and
 * guests who never come back drop off the hub's list.
 */
export abstract class AccountStore extends OnlineStatusStore {
  private readonly forgetAfterMs: number;
  protected readonly now: () => number;

  constructor(db: DatabaseSync, options: HubStoreOptions = {}) {
    super(db);
    this.forgetAfterMs = options.forgetAbsentAfterMs ?? FORGET_ABSENT_AFTER_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * Creates a user with a display name and the hub privilege their invite
   * gave (PRIVILEGE.visitor without one) and returns their credential.
   */
  createGuest(
    hubId: string,
    fullname: string,
    deviceId: string,
    privilege: number,
  ): { user: User; token: string } {
    const user: User = { id: newId(), fullname, deviceId };
    const token = randomBytes(24).toString('base64url');
    const now = this.now();
    this.write(() =>
      inTransaction(this.db, () => {
        this.db
          .prepare(
            'INSERT INTO users (id, fullname, device_id, auth_hash, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(user.id, fullname, deviceId, hashToken(token), now, now);
        this.db
          .prepare(
            'INSERT INTO hub_members (hub_id, user_id, privilege, joined_at) VALUES (?, ?, ?, ?)',
          )
          .run(hubId, user.id, privilege, now);
      }),
    );
    return { user, token };
  }

  /** The user a credential belongs to; none once the account was forgotten or has been away too long. */
  authenticate(token: string): User | undefined {
    const row = this.read(
      () =>
        this.db
          .prepare(
            'SELECT id, fullname, device_id FROM users WHERE auth_hash = ? AND last_seen_at >= ?',
          )
          .get(hashToken(token), this.now() - this.forgetAfterMs) as
          { id: string; fullname: string; device_id: string } | undefined,
    );
    return row && { id: row.id, fullname: row.fullname, deviceId: row.device_id };
  }

  /** The user joined now: their account is kept FORGET_ABSENT_AFTER_MS from here. */
  touch(userId: string): void {
    const now = this.now();
    this.write(() =>
      this.db
        .prepare('UPDATE users SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?')
        .run(now, userId, now - LAST_SEEN_GRANULARITY_MS),
    );
  }

  /** Forgets every account away for longer than FORGET_ABSENT_AFTER_MS (their memberships go too). Returns how many. */
  forgetAbsent(): number {
    return Number(
      this.write(
        () =>
          this.db
            .prepare('DELETE FROM users WHERE last_seen_at < ?')
            .run(this.now() - this.forgetAfterMs).changes,
      ),
    );
  }

  /** Sets a user's privilege in the hub (a visitor let in and promoted becomes a member of it). */
  setPrivilege(hubId: string, userId: string, privilege: number): void {
    this.write(() =>
      this.db
        .prepare(
          `INSERT INTO hub_members (hub_id, user_id, privilege, joined_at) VALUES (?, ?, ?, ?)
             ON CONFLICT(hub_id, user_id) DO UPDATE SET privilege = excluded.privilege`,
        )
        .run(hubId, userId, privilege, this.now()),
    );
  }

  /** Forgets a member of the hub and their credential. Returns whether there was one. */
  revoke(hubId: string, userId: string): boolean {
    return this.write(() =>
      inTransaction(this.db, () => {
        const left = this.db
          .prepare('DELETE FROM hub_members WHERE hub_id = ? AND user_id = ?')
          .run(hubId, userId).changes;
        // The account goes with its last membership (a guest belongs to one hub).
        this.db
          .prepare(
            'DELETE FROM users WHERE id = ? AND NOT EXISTS (SELECT 1 FROM hub_members WHERE user_id = ?)',
          )
          .run(userId, userId);
        return left > 0;
      }),
    );
  }

  /** The user's privilege in the hub (PRIVILEGE.visitor for a visitor), or undefined when they have none. */
  privilegeOf(hubId: string, userId: string): number | undefined {
    const row = this.read(
      () =>
        this.db
          .prepare('SELECT privilege FROM hub_members WHERE hub_id = ? AND user_id = ?')
          .get(hubId, userId) as { privilege: number } | undefined,
    );
    return row?.privilege;
  }

  /** The hubs the user is a member of (a visitor of a hub is not: its presence is none of theirs). */
  hubsOf(userId: string): string[] {
    const rows = this.read(
      () =>
        this.db
          .prepare('SELECT hub_id FROM hub_members WHERE user_id = ? AND privilege > 0')
          .all(userId) as { hub_id: string }[],
    );
    return rows.map((row) => row.hub_id);
  }

  /**
   * The hub's members (visitors are not) with their stored online status. Presence is the
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
              WHERE m.hub_id = ? AND m.privilege > 0 ORDER BY u.fullname COLLATE NOCASE, u.id`,
          )
          .all(hubId) as unknown as MemberRow[],
    );
    return rows.map(toHubMember);
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
