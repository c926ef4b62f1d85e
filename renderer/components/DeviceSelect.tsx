import { useId, useState } from 'react';
import { canChooseSpeaker, playTestSound, useSpeaker } from '../meeting/media';

/**
 * A labelled list of cameras, microphones or speakers, each device once
 * (lists come through uniqueDevices). `defaultOption` names a first choice
 * that follows the system's default (speakers); with no devices listed yet
 * (before a permission) the browser's default is the one entry.
 */
export function DeviceSelect({
  id,
  kind,
  devices,
  value,
  onChange,
  defaultOption,
}: {
  id?: string;
  kind: 'Camera' | 'Microphone' | 'Speaker';
  devices: MediaDeviceInfo[];
  value: string;
  onChange(deviceId: string): void;
  defaultOption?: string;
}) {
  const ownId = useId();
  const selectId = id ?? ownId;
  const first =
    defaultOption ?? (devices.length === 0 ? `Default ${kind.toLowerCase()}` : undefined);
  const known = value === '' ? first !== undefined : devices.some((d) => d.deviceId === value);
  return (
    <>
      <label htmlFor={selectId}>{kind}</label>
      <select
        id={selectId}
        value={known ? value : ((first !== undefined ? '' : devices[0]?.deviceId) ?? '')}
        onChange={(event) => onChange(event.target.value)}
      >
        {first !== undefined && <option value="">{first}</option>}
        {devices.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || `${kind} ${index + 1}`}
          </option>
        ))}
      </select>
    </>
  );
}

/**
 * Where remote sound plays, where the browser can choose (setSinkId), with a
 * test sound played on the chosen speaker.
 */
export function SpeakerChoice({ id }: { id?: string }) {
  const speakers = useSpeaker((s) => s.speakers);
  const sinkId = useSpeaker((s) => s.sinkId);
  const choose = useSpeaker((s) => s.choose);
  const [playing, setPlaying] = useState(false);
  const [failed, setFailed] = useState(false);
  if (!canChooseSpeaker()) return null;
  const test = () => {
    if (playing) return;
    setPlaying(true);
    setFailed(false);
    playTestSound(sinkId)
      .catch(() => setFailed(true))
      .finally(() => setPlaying(false));
  };
  return (
    <>
      <DeviceSelect
        id={id}
        kind="Speaker"
        devices={speakers}
        value={sinkId}
        defaultOption="Same as the system"
        onChange={choose}
      />
      <div className="row">
        <button type="button" onClick={test}>
          {playing ? 'Playing test sound…' : 'Play test sound'}
        </button>
        {failed && (
          <span className="warning" role="status">
            The test sound could not play on this speaker.
          </span>
        )}
      </div>
    </>
  );
}
