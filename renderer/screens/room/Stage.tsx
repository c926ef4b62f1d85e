import { useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { Icon } from '../../components/Icon';
import { RemoteVideo } from '../../components/RemoteVideo';
import { Tile, type TileAction } from '../../components/Tile';
import { VideoView } from '../../components/VideoView';
import { roleLabel } from '../../features/moderation/peer-actions';
import { usePeerActions } from '../../features/moderation/use-peer-actions';
import { TileOverlay } from '../../features/room-tools/TileOverlay';
import { useMeetingClient } from '../../meeting/context';
import { micState } from '../../state/media-state';
import { useMeeting, type RemotePeer, type RemoteTrack } from '../../state/store';
import { gridLayout } from './grid-layout';

// The stage: everyone's tile (and screen shares), as a grid that fills the
// space, or with one large tile (a pinned tile, a screen share, or the speaker
// in speaker view) above a filmstrip of the others.

/** Space between tiles, in CSS pixels (the grid arithmetic and the CSS both use it). */
const GAP = 8;
const ASPECT = 16 / 9;

interface TileModel {
  /** Also the tile's test id and what pinning remembers: tile-self, tile-<peer>, screen-<peer>, screen-self. */
  key: string;
  /** The person the tile belongs to; null for ourselves. */
  peerId: string | null;
  name: string;
  avatarName: string;
  /** For the tile's menu button; differs from the caption only for screens. */
  menuName: string;
  video: ReactNode | null;
  muted: boolean;
  speaking: boolean;
  reconnecting: boolean;
  screen: boolean;
  /** "Owner" or "Admin" beside the name; null for everyone else and for screens. */
  role: string | null;
}

const trackOf = (peer: RemotePeer, source: RemoteTrack['source']) =>
  Object.values(peer.tracks).find((track) => track.source === source);

function remoteVideo(
  peer: RemotePeer,
  track: RemoteTrack | undefined,
  label: string,
): ReactNode | null {
  if (!track?.track || !track.consumerId || track.paused) return null;
  return <RemoteVideo track={track.track} consumerId={track.consumerId} label={label} />;
}

/** What the sharer sees instead of their own screen (which would be an endless mirror). */
function Presenting() {
  const client = useMeetingClient();
  return (
    <div className="presenting">
      <Icon name="share" size={36} />
      <p className="presenting-title">You are presenting</p>
      <p className="presenting-note">Everyone in the meeting sees your screen.</p>
      <button type="button" className="danger" onClick={() => void client.stopScreenShare()}>
        <Icon name="shareStop" size={18} />
        Stop sharing
      </button>
    </div>
  );
}

/**
 * The tiles as a grid that fills its box: the columns and tile size come from
 * the grid arithmetic for the box's measured size; the last row is centred.
 */
function Grid({ count, children }: { count: number; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    // Called once when observing starts, then on every change, before the browser paints.
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const width = Math.floor(entry.contentRect.width);
      const height = Math.floor(entry.contentRect.height);
      setBox((was) => (was.width === width && was.height === height ? was : { width, height }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const layout = gridLayout({ ...box, count, gap: GAP, aspect: ASPECT });
  const style = {
    '--gap': `${GAP}px`,
    '--tile-width': `${layout.tileWidth}px`,
    '--tile-height': `${layout.tileHeight}px`,
  } as CSSProperties;
  return (
    <div
      ref={ref}
      className="grid"
      style={style}
      data-columns={layout.columns}
      data-rows={layout.rows}
    >
      {children}
    </div>
  );
}

/** The meeting's tiles; `selfName` is our own name. */
export function Stage({ selfName }: { selfName: string }) {
  const peers = useMeeting((s) => s.room.peers);
  const selfRole = roleLabel(useMeeting((s) => s.session.self?.privilege));
  const moderationActions = usePeerActions();
  const activeSpeakerId = useMeeting((s) => s.room.activeSpeakerId);
  const selfPeerId = useMeeting((s) => s.session.self?.peerId ?? null);
  const { camOn, sharing, camTrack } = useMeeting((s) => s.localMedia);
  const mic = useMeeting(micState);
  const layout = useMeeting((s) => s.ui.layout);
  const setUi = useMeeting((s) => s.setUi);
  // Any tile can be pinned: a person, ourselves, a screen share. Forgotten when the tile goes.
  const [pinnedKey, setPinnedKey] = useState<string | null>(null);

  const remotePeers = Object.values(peers);
  const people: TileModel[] = [
    {
      key: 'tile-self',
      peerId: null,
      name: `${selfName} (you)`,
      avatarName: selfName,
      menuName: `${selfName} (you)`,
      video: camOn && camTrack ? <VideoView track={camTrack} mirrored label="Your camera" /> : null,
      muted: mic !== 'on',
      // The host's active speaker can be us: our own tile shows it too.
      speaking: mic === 'on' && selfPeerId !== null && activeSpeakerId === selfPeerId,
      reconnecting: false,
      screen: false,
      role: selfRole,
    },
    ...remotePeers.map((peer) => {
      const mic = trackOf(peer, 'microphone');
      const name = peer.displayName;
      return {
        key: `tile-${peer.peerId}`,
        peerId: peer.peerId,
        name,
        avatarName: peer.fullname,
        menuName: name,
        video: remoteVideo(peer, trackOf(peer, 'camera'), `${name}'s video`),
        muted: !mic || mic.paused,
        speaking: peer.peerId === activeSpeakerId,
        reconnecting: peer.reconnecting,
        screen: false,
        role: roleLabel(peer.privilege),
      };
    }),
  ];
  const screens: TileModel[] = [
    ...remotePeers
      .filter((peer) => trackOf(peer, 'screen'))
      .map((peer) => ({
        key: `screen-${peer.peerId}`,
        peerId: peer.peerId,
        name: `${peer.displayName}'s screen`,
        avatarName: peer.fullname,
        // Not "…'s screen" again: that names the video (people and tests find it by it).
        menuName: `${peer.displayName}'s shared screen`,
        video: remoteVideo(peer, trackOf(peer, 'screen'), `${peer.displayName}'s screen`),
        muted: false,
        speaking: false,
        reconnecting: false,
        screen: true,
        role: null,
      })),
    ...(sharing
      ? [
          {
            key: 'screen-self',
            peerId: null,
            name: 'Your screen',
            avatarName: selfName,
            menuName: 'your shared screen',
            video: <Presenting />,
            muted: false,
            speaking: false,
            reconnecting: false,
            screen: true,
            role: null,
          },
        ]
      : []),
  ];

  // The large tile: a pinned one, else a screen share, else the speaker in speaker layout.
  const all = [...screens, ...people];
  const pinned = all.find((tile) => tile.key === pinnedKey);
  if (pinnedKey !== null && !pinned) setPinnedKey(null);
  const speaker =
    people.find((tile) => tile.peerId !== null && tile.peerId === activeSpeakerId) ??
    people[1] ??
    people[0];
  const large = pinned ?? screens[0] ?? (layout === 'speaker' ? speaker : undefined);
  const rest = large ? all.filter((tile) => tile !== large) : all;

  const actionsFor = (tile: TileModel): TileAction[] => {
    const peer = tile.peerId === null ? undefined : peers[tile.peerId];
    return [
      tile === pinned
        ? { label: 'Unpin', run: () => setPinnedKey(null) }
        : { label: 'Pin', run: () => setPinnedKey(tile.key) },
      layout === 'grid'
        ? { label: 'Speaker view', run: () => setUi({ layout: 'speaker' }) }
        : { label: 'Grid view', run: () => setUi({ layout: 'grid' }) },
      // An admin's actions on the person (a screen's tile: stopping the share).
      ...(peer ? moderationActions(peer, tile.screen ? ['stop-screen'] : undefined) : []),
    ];
  };

  const renderTile = (tile: TileModel, isLarge = false) => (
    <Tile
      key={tile.key}
      testId={tile.key}
      name={tile.name}
      avatarName={tile.avatarName}
      menuName={tile.menuName}
      muted={tile.muted}
      reconnecting={tile.reconnecting}
      speaking={tile.speaking}
      pinned={tile === pinned}
      actions={actionsFor(tile)}
      role={tile.role}
      large={isLarge}
      overlay={tile.screen ? null : <TileOverlay peerId={tile.peerId} />}
    >
      {tile.video}
    </Tile>
  );

  return (
    <div className={`stage${large ? ' with-spotlight' : ''}`}>
      {large ? (
        <>
          <div className="spotlight">{renderTile(large, true)}</div>
          {rest.length > 0 && (
            <div className="filmstrip">{rest.map((tile) => renderTile(tile))}</div>
          )}
        </>
      ) : (
        <Grid count={rest.length}>{rest.map((tile) => renderTile(tile))}</Grid>
      )}
    </div>
  );
}
