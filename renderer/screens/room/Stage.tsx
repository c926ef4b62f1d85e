import type { CSSProperties, ReactNode } from 'react';
import { RemoteVideo } from '../../components/RemoteVideo';
import { Tile } from '../../components/Tile';
import { VideoView } from '../../components/VideoView';
import { TileOverlay } from '../../features/room-tools/TileOverlay';
import { micState } from '../../state/media-state';
import { useMeeting, type RemotePeer, type RemoteTrack } from '../../state/store';

// The stage: everyone's tile (and screen shares), as a grid or with one large
// tile (a pinned person, a screen share, or the speaker in speaker view).

interface TileModel {
  key: string;
  peerId: string | null;
  name: string;
  video: ReactNode | null;
  muted: boolean;
  reconnecting: boolean;
  screen: boolean;
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

/** Columns and rows for n tiles, so they fill the stage at about 16:9 (phones get one or two columns in CSS). */
function gridShape(count: number): CSSProperties {
  const columns = count <= 1 ? 1 : count <= 4 ? 2 : count <= 9 ? 3 : 4;
  const rows = Math.min(Math.ceil(count / columns), 4);
  return {
    '--columns': columns,
    '--rows': rows,
    '--phone-columns': count <= 2 ? 1 : 2,
  } as CSSProperties;
}

/** The meeting's tiles; `selfName` labels our own. */
export function Stage({ selfName }: { selfName: string }) {
  const peers = useMeeting((s) => s.room.peers);
  const activeSpeakerId = useMeeting((s) => s.room.activeSpeakerId);
  const pinnedPeerId = useMeeting((s) => s.room.pinnedPeerId);
  const pin = useMeeting((s) => s.pin);
  const { camOn, sharing, camTrack, screenTrack } = useMeeting((s) => s.localMedia);
  const mic = useMeeting(micState);
  const layout = useMeeting((s) => s.ui.layout);

  const remotePeers = Object.values(peers);
  const tiles: TileModel[] = [
    {
      key: 'self',
      peerId: null,
      name: `${selfName} (you)`,
      video: camOn && camTrack ? <VideoView track={camTrack} mirrored label="Your camera" /> : null,
      muted: mic !== 'on',
      reconnecting: false,
      screen: false,
    },
    ...remotePeers.map((peer) => {
      const mic = trackOf(peer, 'microphone');
      return {
        key: peer.peerId,
        peerId: peer.peerId,
        name: peer.fullname,
        video: remoteVideo(peer, trackOf(peer, 'camera'), `${peer.fullname}'s video`),
        muted: !mic || mic.paused,
        reconnecting: peer.reconnecting,
        screen: false,
      };
    }),
  ];
  const screens: TileModel[] = [
    ...remotePeers
      .filter((peer) => trackOf(peer, 'screen'))
      .map((peer) => ({
        key: `screen-${peer.peerId}`,
        peerId: peer.peerId,
        name: `${peer.fullname}'s screen`,
        video: remoteVideo(peer, trackOf(peer, 'screen'), `${peer.fullname}'s screen`),
        muted: false,
        reconnecting: false,
        screen: true,
      })),
    ...(sharing && screenTrack
      ? [
          {
            key: 'screen-self',
            peerId: null,
            name: 'Your screen',
            video: <VideoView track={screenTrack} label="Your screen" />,
            muted: false,
            reconnecting: false,
            screen: true,
          },
        ]
      : []),
  ];

  // The large tile: a pinned person, else a screen share, else the speaker in speaker layout.
  const all = [...screens, ...tiles];
  const large =
    (pinnedPeerId && tiles.find((tile) => tile.peerId === pinnedPeerId)) ||
    screens[0] ||
    (layout === 'speaker'
      ? (tiles.find((tile) => tile.peerId === activeSpeakerId) ?? tiles[1] ?? tiles[0])
      : undefined);
  const rest = large ? all.filter((tile) => tile !== large) : all;

  const renderTile = (tile: TileModel, isLarge = false) => (
    <Tile
      key={tile.key}
      testId={tile.screen ? `screen-${tile.peerId ?? 'self'}` : `tile-${tile.peerId ?? 'self'}`}
      name={tile.name}
      muted={tile.muted}
      reconnecting={tile.reconnecting}
      speaking={tile.peerId !== null && tile.peerId === activeSpeakerId}
      pinned={tile.peerId !== null && tile.peerId === pinnedPeerId}
      onPin={
        tile.peerId && !tile.screen
          ? () => pin(pinnedPeerId === tile.peerId ? null : tile.peerId)
          : undefined
      }
      large={isLarge}
      overlay={tile.screen ? null : <TileOverlay peerId={tile.peerId} />}
    >
      {tile.video}
    </Tile>
  );

  return (
    <div className="stage">
      {large && <div className="spotlight">{renderTile(large, true)}</div>}
      <div
        className={`grid${large ? ' filmstrip' : ''}`}
        style={large ? undefined : gridShape(rest.length)}
      >
        {rest.map((tile) => renderTile(tile))}
      </div>
    </div>
  );
}
