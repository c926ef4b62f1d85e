import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { DeviceSelect } from '../components/DeviceSelect';
import { LevelMeter } from '../components/LevelMeter';
import { VideoView } from '../components/VideoView';
import { useMeetingClient } from '../meeting/context';
import { describeMediaError, listDevices, openCamera, openMicrophone } from '../meeting/media';
import { loadPreferences } from '../state/preferences';
import { useMeeting } from '../state/store';

type CaptureKind = 'camera' | 'microphone';

/** Opens the chosen device while `enabled` and puts its track in the store; capture errors go to `reportError`. */
function useCapture(
  kind: CaptureKind,
  enabled: boolean,
  deviceId: string | null,
  reportError: (kind: CaptureKind, message: string | undefined) => void,
) {
  const setLocalMedia = useMeeting((s) => s.setLocalMedia);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    (kind === 'camera' ? openCamera : openMicrophone)(deviceId).then(
      (track) => {
        if (cancelled) return track.stop();
        reportError(kind, undefined);
        setLocalMedia(kind === 'camera' ? { camTrack: track } : { micTrack: track });
      },
      (error: unknown) => {
        if (!cancelled) reportError(kind, describeMediaError(error, kind));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [kind, enabled, deviceId, reportError, setLocalMedia]);
}

/** Name, camera preview, device choice and mic check before going in. */
export function PreJoin() {
  const client = useMeetingClient();
  const target = useMeeting((s) => s.session.target);
  const phase = useMeeting((s) => s.session.phase);
  const joinError = useMeeting((s) => s.session.error);
  const { micOn, camOn, micTrack, camTrack } = useMeeting((s) => s.localMedia);
  const devices = useMeeting((s) => s.devices);
  const setLocalMedia = useMeeting((s) => s.setLocalMedia);
  const setDevices = useMeeting((s) => s.setDevices);
  const setSession = useMeeting((s) => s.setSession);
  const [name, setName] = useState(() => loadPreferences().displayName);
  const [mediaErrors, setMediaErrors] = useState<Partial<Record<CaptureKind, string>>>({});

  // Open (or reopen) the chosen devices while they are switched on.
  const reportError = useCallback(
    (kind: CaptureKind, message: string | undefined) => {
      setMediaErrors((errors) => ({ ...errors, [kind]: message }));
      // The room shows the device as unavailable, not as on, when it could not be opened.
      setLocalMedia(
        kind === 'camera' ? { camError: message ?? null } : { micError: message ?? null },
      );
    },
    [setLocalMedia],
  );
  useCapture('camera', camOn, devices.cameraId, reportError);
  useCapture('microphone', true, devices.microphoneId, reportError);

  // Device names are only readable once a permission was granted.
  useEffect(() => {
    if (camTrack || micTrack) void listDevices().then(setDevices);
  }, [camTrack, micTrack, setDevices]);

  const replaceTrack = (kind: 'camTrack' | 'micTrack') => {
    useMeeting.getState().localMedia[kind]?.stop();
    setLocalMedia({ [kind]: null });
  };

  const toggleCamera = () => {
    if (camOn) replaceTrack('camTrack');
    setLocalMedia({ camOn: !camOn });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (target && name.trim()) void client.join(target, name.trim());
  };

  if (!target) return null;
  const joining = phase === 'joining';
  return (
    <main className="screen prejoin">
      <section className="preview">
        {camOn && camTrack ? (
          <VideoView track={camTrack} mirrored label="Your camera preview" />
        ) : (
          <div className="preview-off">{mediaErrors.camera ?? 'Camera is off'}</div>
        )}
        <div className="row preview-controls">
          <button
            type="button"
            className={micOn ? '' : 'off'}
            onClick={() => setLocalMedia({ micOn: !micOn })}
          >
            {micOn ? 'Mic on' : 'Mic muted'}
          </button>
          <button type="button" className={camOn ? '' : 'off'} onClick={toggleCamera}>
            {camOn ? 'Camera on' : 'Camera off'}
          </button>
        </div>
        <LevelMeter track={micOn ? micTrack : null} />
      </section>
      <section className="card">
        <h2>Ready to join?</h2>
        <p className="muted">
          Meeting at <strong>{new URL(target.origin).host}</strong>
          {target.fingerprint && (
            <>
              <br />
              Certificate: <code className="fingerprint">{target.fingerprint}</code>
            </>
          )}
        </p>
        <form onSubmit={onSubmit} className="stack">
          <label htmlFor="display-name">Your name</label>
          <input
            id="display-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={64}
            required
            autoFocus
          />
          <DeviceSelect
            id="camera-select"
            kind="Camera"
            devices={devices.cameras}
            value={devices.cameraId ?? ''}
            defaultOption
            onChange={(deviceId) => {
              replaceTrack('camTrack');
              setDevices({ cameraId: deviceId || null });
            }}
          />
          <DeviceSelect
            id="microphone-select"
            kind="Microphone"
            devices={devices.microphones}
            value={devices.microphoneId ?? ''}
            defaultOption
            onChange={(deviceId) => {
              replaceTrack('micTrack');
              setDevices({ microphoneId: deviceId || null });
            }}
          />
          {mediaErrors.microphone && <p className="warning">{mediaErrors.microphone}</p>}
          {joinError && (
            <p role="alert" className="error">
              {joinError}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary" disabled={joining || !name.trim()}>
              {joining ? 'Joining…' : 'Join now'}
            </button>
            <button
              type="button"
              onClick={() => setSession({ phase: 'home', target: null, error: null })}
            >
              Back
            </button>
          </div>
        </form>
      </section>
    </main>
  );
}
