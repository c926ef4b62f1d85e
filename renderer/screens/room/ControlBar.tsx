import { DeviceMenu } from '../../components/DeviceMenu';
import { HostingPanel } from '../../components/HostingPanel';
import { InviteButton } from '../../features/invite/InviteButton';
import { RoomToolButtons } from '../../features/room-tools/RoomToolButtons';
import { useMeetingClient } from '../../meeting/context';
import { useMeeting } from '../../state/store';

/** The meeting's controls: microphone, camera, screen, layout, people, tools, devices, leave. */
export function ControlBar({
  actions,
}: {
  actions: { mic(): void; camera(): void; leave(): void };
}) {
  const client = useMeetingClient();
  const peerCount = useMeeting((s) => Object.keys(s.room.peers).length);
  const { micOn, camOn, sharing } = useMeeting((s) => s.localMedia);
  const { peoplePanelOpen, layout } = useMeeting((s) => s.ui);
  const setUi = useMeeting((s) => s.setUi);
  return (
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
        People ({peerCount + 1})
      </button>
      <RoomToolButtons />
      <InviteButton />
      <DeviceMenu />
      <HostingPanel />
      <button type="button" className="danger" onClick={actions.leave} title="Leave (Shift+L)">
        Leave
      </button>
    </nav>
  );
}
