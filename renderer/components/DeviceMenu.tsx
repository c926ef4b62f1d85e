import { useEffect } from 'react';
import { ControlMenu } from './ControlMenu';
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

  useEffect(() => {
    const refresh = () => void refreshDevices(setDevices);
    refresh();
    navigator.mediaDevices.addEventListener('devicechange', refresh);
    return () => navigator.mediaDevices.removeEventListener('devicechange', refresh);
  }, [setDevices]);

  return (
    <ControlMenu
      className="device-menu"
      icon="devices"
      label="Devices"
      title="Camera, microphone and speaker"
    >
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
    </ControlMenu>
  );
}
