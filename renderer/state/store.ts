import { create, type StateCreator } from 'zustand';
import type { MediaSource } from '../../shared/protocol/rtc';
import type { HubMember, OnlineStatus } from '../../shared/protocol/services';
import { moderationSlice, type ModerationSlice } from '../features/moderation/slice';
import { recordingSlice, type RecordingSlice } from '../features/recording/slice';
import { roomToolsSlice, type RoomToolsSlice } from '../features/room-tools/slice';
import type { EndReason } from '../meeting/reconnector';

/*
 * The client's state, one zustand store in slices by concern. Components read
 * it with selectors (useMeeting((s) => s.room.peers)); only the meeting client
 * (meeting/meeting-client.ts) and the screens' own handlers write to it.
 *
 * session      where we are in the flow and how the connection is doing
 *   phase        'home' → 'prejoin' → 'joining' → 'in-room' → 'left', with 'lobby'
 *                between 'joining' and 'in-room' when the host makes us wait for an
 *                admin (a locked meeting, or no invite); a rejoin can land there too
 *   connection   'connecting' | 'connected' | 'reconnecting' | 'failed'
 *                (what the UI shows; the reconnect machine in
 *                meeting/reconnector.ts decides, the connection mirrors it here)
 *   nextAttemptAt  while reconnecting: when the next rejoin attempt starts
 *                (ms since the epoch), null while one runs
 *   ended        why the meeting ended for us without our asking (phase 'left'):
 *                'host_ended' | 'room_deleted' | 'replaced' | 'refused'; null when we left
 *   error        what went wrong, in words for people (null when fine)
 *   target       the host and hub we join: origin, hubId, invite (null: ask at the lobby), fingerprint
 *   lobby        while in the lobby: waiting, admitted or declined (with the host's words),
 *                and the name we knocked with; null elsewhere
 *   self         our user and peer ids, name as the room shows it and hub privilege, once known
 * room         the other people in the room
 *   peers        by peer id: name (and the name shown), user id, hub privilege, whether the host holds their place
 *                while they reconnect, and their tracks by producer id
 *                (kind, source, paused, and the MediaStreamTrack once consumed)
 *   activeSpeakerId   (what is pinned is the stage's own state: screens/room/Stage.tsx)
 * localMedia   what we want to send: microphone and camera on/off, screen
 *              sharing, the local tracks (previews and self view use them) and
 *              why a device could not be opened; what others really get is
 *              state/media-state.ts
 * devices      the cameras and microphones available and the ones chosen
 * presence     the hub's members with their online status
 * ui           people panel open, layout (grid or speaker)
 * chat, hands, reactions   the room's tools (features/room-tools/slice.ts)
 * moderation   the meeting's settings, lobby knocks, may we unmute (features/moderation/slice.ts)
 * recording    whether the meeting is being recorded; the hub's recordings for admins
 *              (features/recording/slice.ts)
 */

export type Phase = 'home' | 'prejoin' | 'joining' | 'lobby' | 'in-room' | 'left';
export type Connection = 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface JoinTarget {
  /** The host's origin, e.g. https://192.168.1.20:8443 */
  origin: string;
  hubId: string;
  /**
   * The invite secret from the link (or the owner key). Null for someone who
   * opened the host's address without a link: they can only ask at the lobby.
   */
  invite: string | null;
  /** Certificate fingerprint from the invite link, shown so people can compare. */
  fingerprint: string | null;
  /** The hub's name, when the host told it (hub.about); links do not carry it. */
  name?: string;
}

/** Where we are in the lobby: asking (or asking again), let in and entering, or turned away. */
export interface LobbyStatus {
  state: 'waiting' | 'admitted' | 'declined';
  /** What the host said with a decline (who declined, or that the meeting ended). */
  message: string | null;
  /** The name we asked with: the room's own name for us only comes with access. */
  name: string;
}

export interface RemoteTrack {
  producerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  paused: boolean;
  consumerId: string | null;
  track: MediaStreamTrack | null;
}

export interface RemotePeer {
  peerId: string;
  userId: string;
  fullname: string;
  /** The name to show: the room adds " (2)" and so on when names repeat. */
  displayName: string;
  /** Hub privilege (PRIVILEGE): 63 owner, 31 admin, 7 member, 0 visitor. */
  privilege: number;
  /** The host keeps this peer's place while its connection is gone. */
  reconnecting: boolean;
  tracks: Record<string, RemoteTrack>;
}

export interface SessionSlice {
  session: {
    phase: Phase;
    connection: Connection;
    nextAttemptAt: number | null;
    ended: EndReason | null;
    error: string | null;
    target: JoinTarget | null;
    lobby: LobbyStatus | null;
    self: {
      userId: string;
      peerId: string;
      roomId: string;
      displayName: string;
      /** Our hub privilege: the UI offers moderation only from PRIVILEGE.admin up. */
      privilege: number;
    } | null;
  };
  setSession(patch: Partial<SessionSlice['session']>): void;
}

export interface RoomSlice {
  room: {
    peers: Record<string, RemotePeer>;
    activeSpeakerId: string | null;
  };
  setPeers(peers: RemotePeer[]): void;
  updateTrack(peerId: string, producerId: string, patch: Partial<RemoteTrack>): void;
  removeTrack(peerId: string, producerId: string): void;
  removePeer(peerId: string): void;
  /** The connection is gone: keep the people (their tiles stay) but forget every consumed track. */
  detachTracks(): void;
  setActiveSpeaker(peerId: string | null): void;
  clearRoom(): void;
}

export interface LocalMediaSlice {
  localMedia: {
    micOn: boolean;
    camOn: boolean;
    sharing: boolean;
    micTrack: MediaStreamTrack | null;
    camTrack: MediaStreamTrack | null;
    screenTrack: MediaStreamTrack | null;
    /** Why the microphone or camera could not be opened (denied, missing, busy); null when fine. */
    micError: string | null;
    camError: string | null;
  };
  setLocalMedia(patch: Partial<LocalMediaSlice['localMedia']>): void;
}

export interface DevicesSlice {
  devices: {
    cameras: MediaDeviceInfo[];
    microphones: MediaDeviceInfo[];
    cameraId: string | null;
    microphoneId: string | null;
  };
  setDevices(patch: Partial<DevicesSlice['devices']>): void;
}

export interface PresenceSlice {
  presence: { members: HubMember[] };
  setMembers(members: HubMember[]): void;
  setMemberStatus(userId: string, online: OnlineStatus): void;
}

export interface UiSlice {
  ui: { peoplePanelOpen: boolean; layout: 'grid' | 'speaker' };
  setUi(patch: Partial<UiSlice['ui']>): void;
}

export type MeetingState = SessionSlice &
  RoomSlice &
  LocalMediaSlice &
  DevicesSlice &
  PresenceSlice &
  UiSlice &
  RoomToolsSlice &
  ModerationSlice &
  RecordingSlice;
type Slice<T> = StateCreator<MeetingState, [], [], T>;

const sessionSlice: Slice<SessionSlice> = (set) => ({
  session: {
    phase: 'home',
    connection: 'connecting',
    nextAttemptAt: null,
    ended: null,
    error: null,
    target: null,
    lobby: null,
    self: null,
  },
  setSession: (patch) => set((s) => ({ session: { ...s.session, ...patch } })),
});

const roomSlice: Slice<RoomSlice> = (set) => ({
  room: { peers: {}, activeSpeakerId: null },
  setPeers: (peers) =>
    set((s) => {
      // Keep what we already consume of peers that are still there.
      const next: Record<string, RemotePeer> = {};
      for (const peer of peers) {
        const known = s.room.peers[peer.peerId];
        const tracks: Record<string, RemoteTrack> = {};
        for (const track of Object.values(peer.tracks)) {
          const had = known?.tracks[track.producerId];
          tracks[track.producerId] = had ? { ...had, paused: track.paused } : track;
        }
        next[peer.peerId] = { ...peer, tracks };
      }
      return { room: { ...s.room, peers: next } };
    }),
  updateTrack: (peerId, producerId, patch) =>
    set((s) => {
      const peer = s.room.peers[peerId];
      const track = peer?.tracks[producerId];
      if (!peer || !track) return s;
      const tracks = { ...peer.tracks, [producerId]: { ...track, ...patch } };
      return { room: { ...s.room, peers: { ...s.room.peers, [peerId]: { ...peer, tracks } } } };
    }),
  removeTrack: (peerId, producerId) =>
    set((s) => {
      const peer = s.room.peers[peerId];
      if (!peer?.tracks[producerId]) return s;
      const { [producerId]: _gone, ...tracks } = peer.tracks;
      return { room: { ...s.room, peers: { ...s.room.peers, [peerId]: { ...peer, tracks } } } };
    }),
  removePeer: (peerId) =>
    set((s) => {
      const { [peerId]: _gone, ...peers } = s.room.peers;
      return {
        room: {
          peers,
          activeSpeakerId: s.room.activeSpeakerId === peerId ? null : s.room.activeSpeakerId,
        },
      };
    }),
  detachTracks: () =>
    set((s) => {
      const peers: Record<string, RemotePeer> = {};
      for (const peer of Object.values(s.room.peers)) {
        const tracks: Record<string, RemoteTrack> = {};
        for (const track of Object.values(peer.tracks))
          tracks[track.producerId] = { ...track, consumerId: null, track: null };
        peers[peer.peerId] = { ...peer, tracks };
      }
      return { room: { ...s.room, peers, activeSpeakerId: null } };
    }),
  setActiveSpeaker: (peerId) => set((s) => ({ room: { ...s.room, activeSpeakerId: peerId } })),
  clearRoom: () => set({ room: { peers: {}, activeSpeakerId: null } }),
});

const localMediaSlice: Slice<LocalMediaSlice> = (set) => ({
  localMedia: {
    micOn: true,
    camOn: true,
    sharing: false,
    micTrack: null,
    camTrack: null,
    screenTrack: null,
    micError: null,
    camError: null,
  },
  setLocalMedia: (patch) => set((s) => ({ localMedia: { ...s.localMedia, ...patch } })),
});

const devicesSlice: Slice<DevicesSlice> = (set) => ({
  devices: { cameras: [], microphones: [], cameraId: null, microphoneId: null },
  setDevices: (patch) => set((s) => ({ devices: { ...s.devices, ...patch } })),
});

const presenceSlice: Slice<PresenceSlice> = (set) => ({
  presence: { members: [] },
  setMembers: (members) => set({ presence: { members } }),
  setMemberStatus: (userId, online) =>
    set((s) => ({
      presence: {
        members: s.presence.members.map((member) =>
          member.id === userId ? { ...member, online } : member,
        ),
      },
    })),
});

const uiSlice: Slice<UiSlice> = (set) => ({
  ui: { peoplePanelOpen: false, layout: 'grid' },
  setUi: (patch) => set((s) => ({ ui: { ...s.ui, ...patch } })),
});

export function createMeetingStore() {
  return create<MeetingState>()((...a) => ({
    ...sessionSlice(...a),
    ...roomSlice(...a),
    ...localMediaSlice(...a),
    ...devicesSlice(...a),
    ...presenceSlice(...a),
    ...uiSlice(...a),
    ...roomToolsSlice(...a),
    ...moderationSlice(...a),
    ...recordingSlice(...a),
  }));
}

export type MeetingStore = ReturnType<typeof createMeetingStore>;

/** The app's store. Tests make their own with createMeetingStore(). */
export const useMeeting = createMeetingStore();
