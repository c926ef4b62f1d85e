import { DeviceMenu } from '../../components/DeviceMenu';
import { HostingPanel } from '../../components/HostingPanel';
import { InviteButton } from '../../features/invite/InviteButton';
import { RoomToolButtons } from '../../features/room-tools/RoomToolButtons';
import { useMeetingClient } from '../../meeting/context';
import { camState, micState } from '../../state/media-state';
import { useMeeting } from '../../state/store';

/** The meeting's controls: microphone, camera, screen, layout, people, tools, devices, leave. */
export function ControlBar({
  actions,
}: {
  actions: { mic(): void; camera(): void; leave(): void };
}) {
  const client = useMeetingClient();
  const peerCount = useMeeting((s) => Object.keys(s.room.peers).length);
  const sharing = useMeeting((s) => s.localMedia.sharing);
  const mic = useMeeting(micState);
  const cam = useMeeting(camState);
  const { peoplePanelOpen, layout } = useMeeting((s) => s.ui);
  const setUi = useMeeting((s) => s.setUi);
  return (
    <nav className="controls" aria-label="Meeting controls">
      <button
        type="button"
        className={mic === 'on' ? '' : 'off'}
        onClick={mic === 'unavailable' ? () => void client.retryMicrophone() : actions.mic}
        title="Microphone (M)"
      >
        {mic === 'on' ? 'Mute' : mic === 'off' ? 'Unmute' : 'Microphone unavailable: try again'}
      </button>
      <button
        type="button"
        className={cam === 'on' ? '' : 'off'}
        onClick={cam === 'unavailable' ? () => void client.setCamOn(true) : actions.camera}
        title="Camera (V)"
      >
        {cam === 'on'
          ? 'Stop video'
          : cam === 'off'
            ? 'Start video'
            : 'Camera unavailable: try again'}
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
