import { AudioSink } from '../components/AudioSink';
import { ConnectionBanner } from '../components/ConnectionBanner';
import { PeoplePanel } from '../components/PeoplePanel';
import { ScreenPicker } from '../components/ScreenPicker';
import { InviteCard } from '../features/invite/InviteCard';
import { Notices } from '../features/notices/Notices';
import { RoomToolPanels } from '../features/room-tools/RoomToolPanels';
import { ShortcutsHelp } from '../features/shortcuts/ShortcutsHelp';
import { useMeetingClient } from '../meeting/context';
import { loadPreferences } from '../state/preferences';
import { useMeeting } from '../state/store';
import { ControlBar } from './room/ControlBar';
import { Stage } from './room/Stage';
import { useShortcuts } from './room/use-shortcuts';

/** The meeting room: the stage, side panels, remote audio and the control bar. */
export function Room() {
  const client = useMeetingClient();
  const peers = useMeeting((s) => s.room.peers);
  const { micOn, camOn } = useMeeting((s) => s.localMedia);
  const peoplePanelOpen = useMeeting((s) => s.ui.peoplePanelOpen);
  const selfName = loadPreferences().displayName || 'You';

  const actions = {
    mic: () => void client.setMicOn(!micOn),
    camera: () => void client.setCamOn(!camOn),
    leave: () => void client.leave(),
  };
  useShortcuts(actions);

  return (
    <main className={`screen room${peoplePanelOpen ? ' with-panel' : ''}`}>
      <ConnectionBanner />
      <Stage selfName={selfName} />
      <InviteCard />
      {peoplePanelOpen && <PeoplePanel selfName={selfName} />}
      <RoomToolPanels />
      <ScreenPicker />
      <ShortcutsHelp />
      <Notices />
      {Object.values(peers).flatMap((peer) =>
        Object.values(peer.tracks)
          .filter((track) => track.kind === 'audio' && track.track)
          .map((track) => <AudioSink key={track.producerId} track={track.track!} />),
      )}
      <ControlBar actions={actions} />
    </main>
  );
}
