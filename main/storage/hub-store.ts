import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import {
  ONLINE,
  PRIVILEGE,
  type HubMember,
  type OnlineStatus,
} from '../../shared/protocol/services';

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
 */
export class HubStore {
  constructor(private readonly db: DatabaseSync) {}

  /** The host's own hub, created on first run: everyone invited joins it. */
  defaultHub(): Hub {
    const existing = this.getSetting('default_hub_id');
    if (existing) {
      const hub = this.getHub(existing);
      if (hub) return hub;
    }
    const hub = this.createHub('Roundtable');
    this.setSetting('default_hub_id', hub.id);
    return hub;
  }

  createHub(name: string): Hub {
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
    const row = this.db
      .prepare('SELECT id, name, invite_secret, owner_key FROM hubs WHERE id = ?')
      .get(id) as
      { id: string; name: string; invite_secret: string; owner_key: string } | undefined;
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
    this.db.exec('BEGIN');
    try {
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
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    return { user, token };
  }

  authenticate(token: string): User | undefined {
    const row = this.db
      .prepare('SELECT id, fullname, device_id FROM users WHERE auth_hash = ?')
      .get(hashToken(token)) as { id: string; fullname: string; device_id: string } | undefined;
    return row && { id: row.id, fullname: row.fullname, deviceId: row.device_id };
  }

  /** The user's privilege in the hub, or undefined when they are not a member. */
  privilegeOf(hubId: string, userId: string): number | undefined {
    const row = this.db
      .prepare('SELECT privilege FROM hub_members WHERE hub_id = ? AND user_id = ?')
      .get(hubId, userId) as { privilege: number } | undefined;
    return row?.privilege;
  }

  hubsOf(userId: string): string[] {
    const rows = this.db
      .prepare('SELECT hub_id FROM hub_members WHERE user_id = ?')
      .all(userId) as { hub_id: string }[];
    return rows.map((row) => row.hub_id);
  }

  membersOf(hubId: string): HubMember[] {
    const rows = this.db
      .prepare(
        `SELECT u.id, u.fullname, m.privilege, u.online_status
           FROM hub_members m JOIN users u ON u.id = m.user_id
          WHERE m.hub_id = ? ORDER BY u.fullname COLLATE NOCASE, u.id`,
      )
      .all(hubId) as unknown as MemberRow[];
    return rows.map(toHubMember);
  }

  setOnlineStatus(userId: string, status: OnlineStatus): void {
    this.db.prepare('UPDATE users SET online_status = ? WHERE id = ?').run(Number(status), userId);
  }

  /** After a restart nobody is connected: everyone starts offline. */
  resetOnlineStatuses(): void {
    this.db.prepare('UPDATE users SET online_status = ?').run(Number(ONLINE.offline));
  }

  /** The hub's room of a type: a stable id, so invite links and clients survive a restart. */
  roomIdFor(hubId: string, roomType: string): string {
    const key = `room:${hubId}:${roomType}`;
    const existing = this.getSetting(key);
    if (existing) return existing;
    const id = newId();
    this.setSetting(key, id);
    return id;
  }

  getSetting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}

function toHubMember(row: MemberRow): HubMember {
  const [firstname = row.fullname, ...rest] = row.fullname.split(' ');
  return {
    page: 1,
    id: row.id,
    privilege: row.privilege,
    email: null,
    firstname,
    lastname: rest.length ? rest.join(' ') : null,
    fullname: row.fullname,
    surname: row.fullname,
    online: String(row.online_status) as OnlineStatus,
    is_drumate: 1,
    status: 'active',
    contact_id: null,
  };
}
