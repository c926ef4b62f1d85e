/** Local capture: cameras, microphones and the screen, with errors in words for people. */

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

export async function listDevices(): Promise<{
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
}> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: devices.filter((device) => device.kind === 'videoinput'),
    microphones: devices.filter((device) => device.kind === 'audioinput'),
  };
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
      : `Access to your ${what} was denied. Allow it in the browser's site settings, or join with it off.`;
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return `No ${what} was found.`;
  if (name === 'NotReadableError') return `Your ${what} is in use by another program.`;
  return `Your ${what} could not be started${error instanceof Error ? `: ${error.message}` : '.'}`;
}
