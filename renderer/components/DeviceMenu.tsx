import { useEffect } from 'react';
import { useMeetingClient } from '../meeting/context';
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
        <label htmlFor="room-camera">Camera</label>
        <select
          id="room-camera"
          value={current(devices.cameras, devices.cameraId, camLabel)}
          onChange={(e) => void client.switchCamera(e.target.value)}
        >
          {devices.cameras.map((device) => (
            <option key={device.deviceId} value={device.deviceId}>
              {device.label || 'Camera'}
            </option>
          ))}
        </select>
        <label htmlFor="room-microphone">Microphone</label>
        <select
          id="room-microphone"
          value={current(devices.microphones, devices.microphoneId, micLabel)}
          onChange={(e) => void client.switchMicrophone(e.target.value)}
        >
          {devices.microphones.map((device) => (
            <option key={device.deviceId} value={device.deviceId}>
              {device.label || 'Microphone'}
            </option>
          ))}
        </select>
      </div>
    </details>
  );
}
