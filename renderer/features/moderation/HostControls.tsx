import { useId, useRef, useState } from 'react';
import { returnFocus, useDismiss } from '../../components/use-dismiss';
import { useMeetingClient } from '../../meeting/context';
import { useMeeting } from '../../state/store';
import type { RoomSettings } from '../../../shared/protocol/moderation';
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
 * camera, a new invite link, end the meeting for everyone. A disclosure like
 * Devices: Esc and a click outside close it, focus goes back to its button.
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
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<keyof RoomSettings | null>(null);
  const menu = useRef<HTMLDetailsElement>(null);
  const button = useRef<HTMLElement>(null);

  useDismiss(open, [menu], (how) => {
    setOpen(false);
    returnFocus(button.current, how === 'escape', menu.current);
  });

  const closeMenu = () => {
    setOpen(false);
    returnFocus(button.current, true);
  };

  const change = (key: keyof RoomSettings, on: boolean) => {
    setBusy(key);
    client.moderation
      .setRoomSettings({ [key]: on })
      .catch((error: unknown) => notify(describeModerationError(error)))
      .finally(() => setBusy(null));
  };

  const muteAll = (source: 'microphone' | 'camera') => {
    closeMenu();
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
    <details
      ref={menu}
      className="host-controls"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary
        ref={button}
        className="ctl"
        title="Host controls: lock the meeting, mute everyone, end it for everyone"
      >
        <ModerationIcon name="shield" size={22} />
        <span className="ctl-label">Host controls</span>
      </summary>
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
          <button type="button" onClick={() => muteAll('microphone')}>
            Mute everyone
          </button>
          <button type="button" onClick={() => muteAll('camera')}>
            Stop everyone’s camera
          </button>
          <button
            type="button"
            onClick={() => {
              closeMenu();
              setConfirming({ kind: 'rotate-invite', showLink: true });
            }}
          >
            Make a new invite link
          </button>
        </div>
        <button
          type="button"
          className="danger hc-end"
          onClick={() => {
            closeMenu();
            setConfirming({ kind: 'end' });
          }}
        >
          End meeting for everyone
        </button>
      </div>
    </details>
  );
}
