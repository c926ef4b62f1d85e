import type { RoomSettings } from '../../../shared/protocol/moderation';
import { PRIVILEGE } from '../../../shared/protocol/services';
import type { RemotePeer } from '../../state/store';

// What an admin may do to one person in the room, decided from what we know
// (our privilege, theirs, their tracks, the settings): the tile menu and the
// People panel offer exactly these, and nothing at all to non-admins. The
// host checks again; this only keeps people from being offered a refusal.

export type PeerActionKind =
  | 'mute-microphone'
  | 'stop-camera'
  | 'stop-screen'
  | 'allow-unmute'
  | 'make-admin'
  | 'remove-admin'
  | 'remove';

export const PEER_ACTION_LABEL: Record<PeerActionKind, string> = {
  'mute-microphone': 'Mute microphone',
  'stop-camera': 'Stop camera',
  'stop-screen': 'Stop presenting',
  'allow-unmute': 'Allow to unmute',
  'make-admin': 'Make admin',
  'remove-admin': 'Remove admin',
  remove: 'Remove from meeting',
};

export interface PeerActionContext {
  /** Our hub privilege. */
  selfPrivilege: number;
  settings: RoomSettings;
  /** The person's hand is up. */
  handRaised: boolean;
}

export const isAdmin = (privilege: number | undefined) => (privilege ?? 0) >= PRIVILEGE.admin;
export const isOwner = (privilege: number | undefined) => (privilege ?? 0) >= PRIVILEGE.owner;

/** "Owner", "Admin" or nothing, for the badge beside a name. */
export function roleLabel(privilege: number | undefined): 'Owner' | 'Admin' | null {
  if (isOwner(privilege)) return 'Owner';
  if (isAdmin(privilege)) return 'Admin';
  return null;
}

const sourceTrack = (peer: RemotePeer, source: 'microphone' | 'camera' | 'screen') =>
  Object.values(peer.tracks).find((track) => track.source === source);

/** The actions on `peer` in menu order; none unless we are an admin. */
export function peerActionKinds(peer: RemotePeer, context: PeerActionContext): PeerActionKind[] {
  const { selfPrivilege, settings, handRaised } = context;
  if (!isAdmin(selfPrivilege)) return [];
  const kinds: PeerActionKind[] = [];
  const mic = sourceTrack(peer, 'microphone');
  const micOff = !mic || mic.paused;
  if (!micOff) kinds.push('mute-microphone');
  if (sourceTrack(peer, 'camera')) kinds.push('stop-camera');
  if (sourceTrack(peer, 'screen')) kinds.push('stop-screen');
  if (settings.ask_to_unmute && !isAdmin(peer.privilege) && (handRaised || micOff))
    kinds.push('allow-unmute');
  // Only the owner may touch the owner's role or place (the host refuses admins).
  const untouchable = isOwner(peer.privilege) && !isOwner(selfPrivilege);
  if (!isOwner(peer.privilege)) kinds.push(isAdmin(peer.privilege) ? 'remove-admin' : 'make-admin');
  if (!untouchable) kinds.push('remove');
  return kinds;
}
