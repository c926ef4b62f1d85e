import { useId, useState } from 'react';
import { closeControlMenu, ControlMenu } from '../../components/ControlMenu';
import { useMeetingClient } from '../../meeting/context';
import { useMeeting } from '../../state/store';
import type { RoomSettings } from '../../../shared/protocol/moderation';
import { RecordingMenuItems } from '../recording/RecordingMenuItems';
import { describeModerationError } from './describe';
import { ModerationIcon } from './icons';
import { isAdmin } from './peer-actions';
import './host-controls.css';

/** A setting of the meeting as a switch: its name, what it does, on or off. */
function SettingSwitch({
  label,
  hint,
  checked,
  busy,
  onChange,
}: {
  label: string;
  hint: string;
  checked: boolean;
  busy: boolean;
  onChange(on: boolean): void;
}) {
  const labelId = useId();
  const hintId = useId();
  return (
    <button
      type="button"
      role="switch"
      className="hc-switch"
      aria-checked={checked}
      aria-labelledby={labelId}
      aria-describedby={hintId}
      disabled={busy}
      onClick={() => onChange(!checked)}
    >
      <span className="hc-switch-text">
        <span id={labelId} className="hc-switch-label">
          {label}
        </span>
        <span id={hintId} className="hc-hint">
          {hint}
        </span>
      </span>
      <span className="hc-track" aria-hidden="true">
        <span className="hc-thumb" />
      </span>
    </button>
  );
}

/**
 * The control bar's Host controls, for owners and admins only: lock the
 * meeting, ask people to ask before they unmute, mute everyone, stop every
 * camera, a new invite link, start and stop recording and the recordings
 * (features/recording), end the meeting for everyone. A control-bar
 * menu like Devices (ControlMenu): Esc and a click outside close it.
 */
export function HostControls() {
  const admin = useMeeting((s) => isAdmin(s.session.self?.privilege));
  return admin ? <HostControlsMenu /> : null;
}

function HostControlsMenu() {
  const client = useMeetingClient();
  const settings = useMeeting((s) => s.moderation.settings);
  const notify = useMeeting((s) => s.showModerationNotice);
  const setConfirming = useMeeting((s) => s.setConfirming);
  const [busy, setBusy] = useState<keyof RoomSettings | null>(null);

  const change = (key: keyof RoomSettings, on: boolean) => {
    setBusy(key);
    client.moderation
      .setRoomSettings({ [key]: on })
      .catch((error: unknown) => notify(describeModerationError(error)))
      .finally(() => setBusy(null));
  };

  const muteAll = (source: 'microphone' | 'camera', item: HTMLElement) => {
    closeControlMenu(item);
    client.moderation.muteAll(source).then(
      () =>
        notify(
          source === 'microphone'
            ? 'You muted everyone else'
            : 'You stopped everyone else’s camera',
        ),
      (error: unknown) => notify(describeModerationError(error)),
    );
  };

  return (
    <ControlMenu
      className="host-controls"
      icon={<ModerationIcon name="shield" size={22} />}
      label="Host controls"
      title="Host controls: lock the meeting, mute everyone, record, end it for everyone"
    >
      <div className="hc-panel">
        <h2 className="hc-title">Host controls</h2>
        <SettingSwitch
          label="Lock meeting"
          hint="New people wait in the lobby until an admin lets them in."
          checked={settings.locked}
          busy={busy === 'locked'}
          onChange={(on) => change('locked', on)}
        />
        <SettingSwitch
          label="Ask to unmute"
          hint="People raise their hand, and an admin lets them unmute."
          checked={settings.ask_to_unmute}
          busy={busy === 'ask_to_unmute'}
          onChange={(on) => change('ask_to_unmute', on)}
        />
        <div className="hc-actions">
          <button type="button" onClick={(event) => muteAll('microphone', event.currentTarget)}>
            Mute everyone
          </button>
          <button type="button" onClick={(event) => muteAll('camera', event.currentTarget)}>
            Stop everyone’s camera
          </button>
          <button
            type="button"
            onClick={(event) => {
              closeControlMenu(event.currentTarget);
              setConfirming({ kind: 'rotate-invite', showLink: true });
            }}
          >
            Make a new invite link
          </button>
          <RecordingMenuItems />
        </div>
        <button
          type="button"
          className="danger hc-end"
          onClick={(event) => {
            closeControlMenu(event.currentTarget);
            setConfirming({ kind: 'end' });
          }}
        >
          End meeting for everyone
        </button>
      </div>
    </ControlMenu>
  );
}
