import { create } from 'zustand';

/**
 * Local capture (cameras, microphones, the screen) and where remote sound
 * plays (the speaker), with errors in words for people.
 */

export const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30 },
};

export async function openCamera(deviceId: string | null): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { ...CAMERA_CONSTRAINTS, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) },
  });
  return stream.getVideoTracks()[0]!;
}

export async function openMicrophone(deviceId: string | null): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: {
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    },
  });
  return stream.getAudioTracks()[0]!;
}

export async function openScreen(): Promise<MediaStream> {
  return navigator.mediaDevices.getDisplayMedia({
    video: { frameRate: { ideal: 15 } },
    audio: true,
  });
}

type DeviceEntry = Pick<MediaDeviceInfo, 'deviceId' | 'groupId' | 'kind' | 'label'>;

/** The ids browsers give a device's second entry: "Default - …" and Windows' "Communications - …". */
const ALIASES = new Set(['default', 'communications']);

/**
 * One entry per device of each kind. Browsers list the default device twice
 * (as `default` and under its own id, same groupId) and, before a permission
 * is granted, entries with no id at all; a list shows each device once.
 */
export function uniqueDevices<T extends DeviceEntry>(devices: readonly T[]): T[] {
  const seen = new Set<string>();
  return devices.filter((device) => {
    if (!device.deviceId) return false;
    if (
      ALIASES.has(device.deviceId) &&
      devices.some(
        (other) =>
          other !== device &&
          other.kind === device.kind &&
          !ALIASES.has(other.deviceId) &&
          other.deviceId !== '' &&
          (other.groupId === device.groupId ||
            (other.label !== '' && device.label.endsWith(other.label))),
      )
    )
      return false;
    const key = `${device.kind}|${device.deviceId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface DeviceLists {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
  /** Audio outputs; empty where the browser cannot choose one (no setSinkId). */
  speakers: MediaDeviceInfo[];
}

export async function listDevices(): Promise<DeviceLists> {
  const devices = uniqueDevices(await navigator.mediaDevices.enumerateDevices());
  return {
    cameras: devices.filter((device) => device.kind === 'videoinput'),
    microphones: devices.filter((device) => device.kind === 'audioinput'),
    // The lists' "Same as the system" entry ('') is the browser's default output already.
    speakers: canChooseSpeaker()
      ? devices.filter((device) => device.kind === 'audiooutput' && !ALIASES.has(device.deviceId))
      : [],
  };
}

/** Where the browser can send a media element's sound to a chosen output (Chromium, Firefox 116+). */
export function canChooseSpeaker(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

const SPEAKER_KEY = 'roundtable.speaker';

function storedSpeaker(): string {
  try {
    return localStorage.getItem(SPEAKER_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * The speaker remote sound plays on: the audio outputs the browser lists and
 * the chosen one's id ('' for the system default), kept between visits.
 */
export const useSpeaker = create<{
  speakers: MediaDeviceInfo[];
  sinkId: string;
  choose(sinkId: string): void;
}>()((set) => ({
  speakers: [],
  sinkId: storedSpeaker(),
  choose: (sinkId) => {
    try {
      localStorage.setItem(SPEAKER_KEY, sinkId);
    } catch {
      // Private mode: the choice lasts for this page.
    }
    set({ sinkId });
  },
}));

/** Refreshes the device lists: cameras and microphones into `setInputs`, speakers into useSpeaker. */
export async function refreshDevices(
  setInputs: (lists: Pick<DeviceLists, 'cameras' | 'microphones'>) => void,
): Promise<void> {
  const { speakers, ...inputs } = await listDevices();
  setInputs(inputs);
  useSpeaker.setState({ speakers });
}

/** Sends `element`'s sound to the chosen speaker; a speaker that is gone leaves the default. */
export async function routeToSpeaker(element: HTMLMediaElement, sinkId: string): Promise<void> {
  if (!canChooseSpeaker() || element.sinkId === sinkId) return;
  await element.setSinkId(sinkId).catch(() => undefined);
}

/**
 * A short two-note chime made with WebAudio, played on the chosen speaker so
 * people can hear that it is the right one. Resolves when it has played.
 */
export async function playTestSound(sinkId: string): Promise<void> {
  const context = new AudioContext();
  const output = context.createMediaStreamDestination();
  const gain = context.createGain();
  gain.connect(output);
  const start = context.currentTime + 0.05;
  const notes = [
    { frequency: 660, at: start },
    { frequency: 880, at: start + 0.35 },
  ];
  gain.gain.setValueAtTime(0, start);
  let last: OscillatorNode | undefined;
  for (const { frequency, at } of notes) {
    const tone = context.createOscillator();
    tone.type = 'sine';
    tone.frequency.value = frequency;
    tone.connect(gain);
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.25, at + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.001, at + 0.3);
    tone.start(at);
    tone.stop(at + 0.32);
    last = tone;
  }
  const audio = new Audio();
  audio.srcObject = output.stream;
  try {
    await routeToSpeaker(audio, sinkId);
    await audio.play();
    await new Promise<void>((resolve) => last!.addEventListener('ended', () => resolve()));
  } finally {
    audio.pause();
    audio.srcObject = null;
    await context.close();
  }
}

/** What to tell a person when capture fails. */
export function describeMediaError(
  error: unknown,
  what: 'camera' | 'microphone' | 'screen',
): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return what === 'screen'
      ? 'Screen sharing was not allowed.'
      : `Access to your ${what} was denied. Allow it in the browser's site settings and try again, or join with it off.`;
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return `No ${what} was found.`;
  if (name === 'NotReadableError') return `Your ${what} is in use by another program.`;
  return `Your ${what} could not be started${error instanceof Error ? `: ${error.message}` : '.'}`;
}

/**
 * The entry of `devices` to show as selected: the one chosen, else the one
 * `track` comes from (by id, or by group when the browser opened the
 * "default" alias), else '' (the list's default).
 */
export function selectedDevice(
  devices: readonly Pick<MediaDeviceInfo, 'deviceId' | 'groupId'>[],
  chosen: string | null,
  track: MediaStreamTrack | null,
): string {
  if (chosen && devices.some((device) => device.deviceId === chosen)) return chosen;
  const settings = track?.getSettings?.();
  if (!settings) return '';
  const byId = devices.find((device) => device.deviceId === settings.deviceId);
  const byGroup = settings.groupId
    ? devices.find((device) => device.groupId === settings.groupId)
    : undefined;
  return (byId ?? byGroup)?.deviceId ?? '';
}
