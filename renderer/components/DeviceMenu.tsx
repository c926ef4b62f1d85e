import { useEffect, useRef, useState } from 'react';
import { returnFocus, useDismiss } from './use-dismiss';
import { NoticeSoundToggle } from '../features/notices/NoticeSoundToggle';
import { useMeetingClient } from '../meeting/context';
import { refreshDevices, selectedDevice } from '../meeting/media';
import { useMeeting } from '../state/store';
import { DeviceSelect, SpeakerChoice } from './DeviceSelect';

/**
 * Camera, microphone and speaker choice during the call; switching replaces
 * the sent track, no rejoin. Closes with Esc (focus back on its button) and
 * with a click outside.
 */
export function DeviceMenu() {
  const client = useMeetingClient();
  const devices = useMeeting((s) => s.devices);
  const setDevices = useMeeting((s) => s.setDevices);
  const micTrack = useMeeting((s) => s.localMedia.micTrack);
  const camTrack = useMeeting((s) => s.localMedia.camTrack);
  const menu = useRef<HTMLDetailsElement>(null);
  const button = useRef<HTMLElement>(null);
  const [open, setOpen] = useState(false);
  useDismiss(open, [menu], (how) => {
    setOpen(false);
    returnFocus(button.current, how === 'escape', menu.current);
  });

  useEffect(() => {
    const refresh = () => void refreshDevices(setDevices);
    refresh();
    navigator.mediaDevices.addEventListener('devicechange', refresh);
    return () => navigator.mediaDevices.removeEventListener('devicechange', refresh);
  }, [setDevices]);

  return (
    <details
      ref={menu}
      className="device-menu"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary ref={button} className="ctl" title="Camera, microphone and speaker">
        <svg className="icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path
            fill="currentColor"
            d="M3 17v2h6v-2H3zM3 5v2h10V5H3zm10 16v-2h8v-2h-8v-2h-2v6h2zM7 9v2H3v2h4v2h2V9H7zm14 4v-2H11v2h10zm-6-4h2V7h4V5h-4V3h-2v6z"
          />
        </svg>
        <span className="ctl-label">Devices</span>
      </summary>
      <div className="stack">
        <DeviceSelect
          id="room-camera"
          kind="Camera"
          devices={devices.cameras}
          value={selectedDevice(devices.cameras, devices.cameraId, camTrack)}
          onChange={(deviceId) => void client.switchDevice('camera', deviceId)}
        />
        <DeviceSelect
          id="room-microphone"
          kind="Microphone"
          devices={devices.microphones}
          value={selectedDevice(devices.microphones, devices.microphoneId, micTrack)}
          onChange={(deviceId) => void client.switchDevice('microphone', deviceId)}
        />
        <SpeakerChoice id="room-speaker" />
        <NoticeSoundToggle />
      </div>
    </details>
  );
}
