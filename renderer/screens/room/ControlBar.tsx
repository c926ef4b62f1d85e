import { useLayoutEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { DeviceMenu } from '../../components/DeviceMenu';
import { HostingPanel } from '../../components/HostingPanel';
import { Icon, type IconName } from '../../components/Icon';
import { InviteButton } from '../../features/invite/InviteButton';
import { HostControls } from '../../features/moderation/HostControls';
import { RoomStatus } from '../../features/moderation/RoomStatus';
import { RoomToolButtons } from '../../features/room-tools/RoomToolButtons';
import { useMeetingClient } from '../../meeting/context';
import { camState, micState } from '../../state/media-state';
import { useMeeting } from '../../state/store';

/**
 * One control: an icon and a short label (visually hidden on small screens,
 * where the icon and the tooltip stay). The label says what pressing does
 * ("Mute" / "Unmute"), so these buttons carry no aria-pressed; `name`
 * replaces the label for assistive technology when the label is shortened.
 */
function ControlButton({
  icon,
  label,
  name,
  title,
  tone,
  pressed,
  onClick,
  children,
}: {
  icon: IconName;
  label: string;
  name?: string;
  title: string;
  tone?: 'off' | 'unavailable' | 'danger';
  /** Only for a toggle with a fixed label (People). */
  pressed?: boolean;
  onClick(event: MouseEvent<HTMLButtonElement>): void;
  children?: ReactNode;
}) {
  return (
    <button
      type="button"
      className={`ctl${tone ? ` ${tone}` : ''}`}
      aria-label={name}
      aria-pressed={pressed}
      title={title}
      onClick={onClick}
    >
      <Icon name={icon} size={22} />
      <span className="ctl-label">{label}</span>
      {children}
    </button>
  );
}

/**
 * The meeting's controls: microphone, camera, screen, layout, people, tools,
 * devices, host controls (admins), leave; and whether the meeting is locked.
 */
export function ControlBar({
  actions,
}: {
  actions: { mic(): void; camera(): void; askToLeave(): void; leave(): void };
}) {
  const client = useMeetingClient();
  const peerCount = useMeeting((s) => Object.keys(s.room.peers).length);
  const sharing = useMeeting((s) => s.localMedia.sharing);
  const mic = useMeeting(micState);
  const cam = useMeeting(camState);
  const mayUnmute = useMeeting((s) => s.moderation.mayUnmute);
  const { peoplePanelOpen, layout } = useMeeting((s) => s.ui);
  const setUi = useMeeting((s) => s.setUi);
  const nav = useRef<HTMLElement>(null);
  // The bar's height as --rt-controls on the room, for what floats above the bar (chat, toasts, popovers).
  useLayoutEffect(() => {
    const bar = nav.current;
    const room = bar?.parentElement;
    if (!bar || !room || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() =>
      room.style.setProperty('--rt-controls', `${bar.offsetHeight}px`),
    );
    observer.observe(bar);
    return () => {
      observer.disconnect();
      room.style.removeProperty('--rt-controls');
    };
  }, []);
  return (
    <nav ref={nav} className="controls" aria-label="Meeting controls">
      <RoomStatus />
      <div className="ctl-group">
        {mic === 'unavailable' ? (
          <ControlButton
            icon="micOff"
            tone="unavailable"
            label="Unavailable"
            name="Microphone unavailable: try again"
            title="Microphone unavailable: press to try again"
            onClick={() => void client.retryMicrophone()}
          />
        ) : (
          <ControlButton
            icon={mic === 'on' ? 'mic' : 'micOff'}
            tone={mic === 'on' ? undefined : 'off'}
            label={mic === 'on' ? 'Mute' : 'Unmute'}
            title={
              mic === 'on'
                ? 'Mute your microphone (M)'
                : mayUnmute
                  ? 'Unmute your microphone (M)'
                  : 'The meeting asks you to raise your hand before you unmute (M)'
            }
            onClick={actions.mic}
          />
        )}
        {cam === 'unavailable' ? (
          <ControlButton
            icon="cameraOff"
            tone="unavailable"
            label="Unavailable"
            name="Camera unavailable: try again"
            title="Camera unavailable: press to try again"
            onClick={() => void client.setCamOn(true)}
          />
        ) : (
          <ControlButton
            icon={cam === 'on' ? 'camera' : 'cameraOff'}
            tone={cam === 'on' ? undefined : 'off'}
            label={cam === 'on' ? 'Stop video' : 'Start video'}
            title={cam === 'on' ? 'Stop your camera (V)' : 'Start your camera (V)'}
            onClick={actions.camera}
          />
        )}
        <ControlButton
          icon={sharing ? 'shareStop' : 'share'}
          label={sharing ? 'Stop sharing' : 'Share screen'}
          title={sharing ? 'Stop sharing your screen' : 'Share your screen'}
          onClick={() => void (sharing ? client.stopScreenShare() : client.startScreenShare())}
        />
      </div>
      <div className="ctl-group">
        <ControlButton
          icon={layout === 'grid' ? 'speaker' : 'grid'}
          label={layout === 'grid' ? 'Speaker view' : 'Grid view'}
          title={
            layout === 'grid'
              ? 'Show the speaker large, the others in a strip'
              : 'Show everyone the same size'
          }
          onClick={() => setUi({ layout: layout === 'grid' ? 'speaker' : 'grid' })}
        />
        <ControlButton
          icon="people"
          label="People"
          title={`People in the meeting: ${peerCount + 1}`}
          pressed={peoplePanelOpen}
          onClick={() => setUi({ peoplePanelOpen: !peoplePanelOpen })}
        >
          <span className="ctl-count">{peerCount + 1}</span>
        </ControlButton>
        <RoomToolButtons />
        <InviteButton />
        <DeviceMenu />
        <HostControls />
        <HostingPanel />
      </div>
      <div className="ctl-group">
        <ControlButton
          icon="leave"
          tone="danger"
          label="Leave"
          title="Leave the meeting (Shift+L). Hold Shift while clicking to leave without being asked."
          onClick={(event) => (event.shiftKey ? actions.leave() : actions.askToLeave())}
        />
      </div>
    </nav>
  );
}
