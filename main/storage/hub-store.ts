import { randomBytes, timingSafeEqual } from 'node:crypto';
import { PRIVILEGE } from '../../shared/protocol/services';
import { HostError } from '../host/host-error';
import { AccountStore, newId } from './accounts';
import { inTransaction } from './storage-error';

export {
  FORGET_ABSENT_AFTER_MS,
  nameParts,
  newId,
  type HubStoreOptions,
  type User,
} from './accounts';

export interface Hub {
  id: string;
  name: string;
  inviteSecret: string;
  ownerKey: string;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Hubs (their invite secret and owner key), the host's settings, and through
 * AccountStore the people in the hubs and their credentials, in SQLite.
 *
 * Storage can fail for reasons outside the host (a full disk, another process
 * holding the database): every method then throws HostError('unavailable')
 * (HTTP 503) rather than SQLite's own error, and every write that touches
 * more than one row is one transaction, so a failed write leaves nothing
 * behind. Reads keep working through a write outage (WAL). See docs/storage.md.
 */
export class HubStore extends AccountStore {
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

  /** Names the hub (the meeting's name people see when they ask to join). */
  renameHub(hubId: string, name: string): void {
    this.write(() => this.db.prepare('UPDATE hubs SET name = ? WHERE id = ?').run(name, hubId));
  }

  /** A new invite secret for the hub: links with the old one stop working at once. */
  rotateInvite(hubId: string): Hub {
    const secret = newInviteSecret();
    const changed = this.write(
      () =>
        this.db.prepare('UPDATE hubs SET invite_secret = ? WHERE id = ?').run(secret, hubId)
          .changes,
    );
    const hub = changed ? this.getHub(hubId) : undefined;
    if (!hub) throw new HostError('not_found', `no hub ${hubId}`);
    return hub;
  }

  private insertHub(name: string): Hub {
    const hub: Hub = {
      id: newId(),
      name,
      inviteSecret: newInviteSecret(),
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
}

function newInviteSecret(): string {
  return randomBytes(12).toString('base64url');
}
