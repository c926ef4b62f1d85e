import { useEffect } from 'react';
import { useMeetingClient } from '../meeting/context';
import { DeviceSelect } from './DeviceSelect';
import { listDevices } from '../meeting/media';
import { useMeeting } from '../state/store';

/** Camera and microphone choice during the call; switching replaces the sent track, no rejoin. */
export function DeviceMenu() {
  const client = useMeetingClient();
  const devices = useMeeting((s) => s.devices);
  const setDevices = useMeeting((s) => s.setDevices);
  const micLabel = useMeeting((s) => s.localMedia.micTrack?.label);
  const camLabel = useMeeting((s) => s.localMedia.camTrack?.label);

  useEffect(() => {
    const refresh = () => void listDevices().then(setDevices);
    navigator.mediaDevices.addEventListener('devicechange', refresh);
    return () => navigator.mediaDevices.removeEventListener('devicechange', refresh);
  }, [setDevices]);

  // The selected entry is the device in use, even when "default" was chosen before joining.
  const current = (list: MediaDeviceInfo[], chosen: string | null, label: string | undefined) =>
    chosen ?? list.find((device) => device.label === label)?.deviceId ?? '';

  return (
    <details className="device-menu">
      <summary>Devices</summary>
      <div className="stack">
        <DeviceSelect
          id="room-camera"
          kind="Camera"
          devices={devices.cameras}
          value={current(devices.cameras, devices.cameraId, camLabel)}
          onChange={(deviceId) => void client.switchDevice('camera', deviceId)}
        />
        <DeviceSelect
          id="room-microphone"
          kind="Microphone"
          devices={devices.microphones}
          value={current(devices.microphones, devices.microphoneId, micLabel)}
          onChange={(deviceId) => void client.switchDevice('microphone', deviceId)}
        />
      </div>
    </details>
  );
}
