/** A labelled list of cameras or microphones; `defaultOption` adds the browser's default as a choice. */
export function DeviceSelect({
  id,
  kind,
  devices,
  value,
  onChange,
  defaultOption = false,
}: {
  id: string;
  kind: 'Camera' | 'Microphone';
  devices: MediaDeviceInfo[];
  value: string;
  onChange(deviceId: string): void;
  defaultOption?: boolean;
}) {
  return (
    <>
      <label htmlFor={id}>{kind}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {defaultOption && <option value="">Default {kind.toLowerCase()}</option>}
        {devices.map((device) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || kind}
          </option>
        ))}
      </select>
    </>
  );
}
