import { useEffect, type CSSProperties, type ReactNode } from 'react';
import { AudioSink } from '../components/AudioSink';
import { ConnectionBanner } from '../components/ConnectionBanner';
import { DeviceMenu } from '../components/DeviceMenu';
import { HostingPanel } from '../components/HostingPanel';
import { PeoplePanel } from '../components/PeoplePanel';
import { RemoteVideo } from '../components/RemoteVideo';
import { ScreenPicker } from '../components/ScreenPicker';
import { Tile } from '../components/Tile';
import { VideoView } from '../components/VideoView';
import { useMeetingClient } from '../meeting/context';
import { loadPreferences } from '../state/preferences';
import { useMeeting, type RemotePeer, type RemoteTrack } from '../state/store';

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

/** M mutes, V toggles the camera, Shift+L leaves; ignored while typing. */
function useShortcuts(actions: { mic(): void; camera(): void; leave(): void }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        target.closest('input, textarea, select')
      )
        return;
      if (event.key === 'm' || event.key === 'M') actions.mic();
      else if (event.key === 'v' || event.key === 'V') actions.camera();
      else if (event.key === 'L' && event.shiftKey) actions.leave();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);
}

export function Room() {
  const client = useMeetingClient();
  const peers = useMeeting((s) => s.room.peers);
  const activeSpeakerId = useMeeting((s) => s.room.activeSpeakerId);
  const pinnedPeerId = useMeeting((s) => s.room.pinnedPeerId);
  const pin = useMeeting((s) => s.pin);
  const { micOn, camOn, sharing, camTrack, screenTrack } = useMeeting((s) => s.localMedia);
  const { peoplePanelOpen, layout } = useMeeting((s) => s.ui);
  const setUi = useMeeting((s) => s.setUi);
  const selfName = loadPreferences().displayName || 'You';

  const actions = {
    mic: () => void client.setMicOn(!micOn),
    camera: () => void client.setCamOn(!camOn),
    leave: () => void client.leave(),
  };
  useShortcuts(actions);

  const remotePeers = Object.values(peers);
  const tiles: TileModel[] = [
    {
      key: 'self',
      peerId: null,
      name: `${selfName} (you)`,
      video: camOn && camTrack ? <VideoView track={camTrack} mirrored label="Your camera" /> : null,
      muted: !micOn,
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
    >
      {tile.video}
    </Tile>
  );

  return (
    <main className={`screen room${peoplePanelOpen ? ' with-panel' : ''}`}>
      <ConnectionBanner />
      <div className="stage">
        {large && <div className="spotlight">{renderTile(large, true)}</div>}
        <div
          className={`grid${large ? ' filmstrip' : ''}`}
          style={large ? undefined : gridShape(rest.length)}
        >
          {rest.map((tile) => renderTile(tile))}
        </div>
      </div>
      {peoplePanelOpen && <PeoplePanel selfName={selfName} />}
      <ScreenPicker />
      {remotePeers.flatMap((peer) =>
        Object.values(peer.tracks)
          .filter((track) => track.kind === 'audio' && track.track)
          .map((track) => <AudioSink key={track.producerId} track={track.track!} />),
      )}
      <nav className="controls" aria-label="Meeting controls">
        <button
          type="button"
          aria-pressed={!micOn}
          className={micOn ? '' : 'off'}
          onClick={actions.mic}
          title="Microphone (M)"
        >
          {micOn ? 'Mute' : 'Unmute'}
        </button>
        <button
          type="button"
          aria-pressed={!camOn}
          className={camOn ? '' : 'off'}
          onClick={actions.camera}
          title="Camera (V)"
        >
          {camOn ? 'Stop video' : 'Start video'}
        </button>
        <button
          type="button"
          aria-pressed={sharing}
          onClick={() => void (sharing ? client.stopScreenShare() : client.startScreenShare())}
          title="Share your screen"
        >
          {sharing ? 'Stop sharing' : 'Share screen'}
        </button>
        <button
          type="button"
          aria-pressed={layout === 'speaker'}
          onClick={() => setUi({ layout: layout === 'grid' ? 'speaker' : 'grid' })}
        >
          {layout === 'grid' ? 'Speaker view' : 'Grid view'}
        </button>
        <button
          type="button"
          aria-pressed={peoplePanelOpen}
          aria-label="People"
          onClick={() => setUi({ peoplePanelOpen: !peoplePanelOpen })}
        >
          People ({remotePeers.length + 1})
        </button>
        <DeviceMenu />
        <HostingPanel />
        <button type="button" className="danger" onClick={actions.leave} title="Leave (Shift+L)">
          Leave
        </button>
      </nav>
    </main>
  );
}
