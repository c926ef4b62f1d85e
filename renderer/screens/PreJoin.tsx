import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { DeviceSelect, SpeakerChoice } from '../components/DeviceSelect';
import { LevelMeter } from '../components/LevelMeter';
import { VideoView } from '../components/VideoView';
import { useInviteCheck } from '../features/invite/invite-check';
import '../features/invite/prejoin.css';
import { InviteProblem } from '../features/invite/InviteProblem';
import {
  recordedBeforeJoin,
  RecordingNotice,
  useHubAbout,
} from '../features/recording/RecordingNotice';
import { Fingerprint } from '../components/Fingerprint';
import { useMeetingClient } from '../meeting/context';
import {
  describeMediaError,
  openCamera,
  openMicrophone,
  refreshDevices,
  selectedDevice,
} from '../meeting/media';
import { loadPreferences } from '../state/preferences';
import { useMeeting } from '../state/store';

type CaptureKind = 'camera' | 'microphone';

/**
 * Opens the chosen device while `enabled` (again whenever `attempt` changes:
 * "Try again") and puts its track in the store; capture errors go to
 * `reportError`. A capture a newer one replaced, or that ends after the person
 * went back, is stopped; one that ends after the person joined (a slow camera,
 * a permission prompt answered late) is kept and handed to `joinedMeanwhile`.
 */
function useCapture(
  kind: CaptureKind,
  enabled: boolean,
  deviceId: string | null,
  attempt: number,
  reportError: (kind: CaptureKind, message: string | undefined) => void,
  joinedMeanwhile: () => void,
) {
  const setLocalMedia = useMeeting((s) => s.setLocalMedia);
  // Counts this hook's captures: a newer one (another device, the camera switched off) makes
  // the older one stale; leaving the screen to join does not.
  const captures = useRef(0);
  useEffect(() => {
    const mine = ++captures.current;
    if (!enabled) return;
    (kind === 'camera' ? openCamera : openMicrophone)(deviceId).then(
      (track) => {
        const phase = useMeeting.getState().session.phase;
        if (captures.current !== mine || phase === 'home' || phase === 'left') return track.stop();
        reportError(kind, undefined);
        const key = kind === 'camera' ? 'camTrack' : 'micTrack';
        useMeeting.getState().localMedia[key]?.stop();
        setLocalMedia({ [key]: track });
        if (phase !== 'prejoin') joinedMeanwhile();
      },
      (error: unknown) => {
        if (captures.current === mine) reportError(kind, describeMediaError(error, kind));
      },
    );
  }, [kind, enabled, deviceId, attempt, reportError, setLocalMedia, joinedMeanwhile]);
}

/**
 * Name, camera preview, device choice and mic check before going in. The
 * host checks the link's invite first: a wrong or cut-off link is said
 * before the browser asks for a camera. Without an invite (the host's
 * address opened without a link) there is nothing to check: the person asks
 * to join, and waits in the lobby until someone lets them in. Either way, a
 * meeting being recorded is said before joining.
 */
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
  const [attempts, setAttempts] = useState<Record<CaptureKind, number>>({
    camera: 0,
    microphone: 0,
  });
  const { check, retry: recheck } = useInviteCheck(target);
  // A host that could not say (busy, older) leaves the answer to the join itself.
  const inviteOk = check.state === 'valid' || check.state === 'unchecked' || check.state === 'none';
  const asking = check.state === 'none';
  // Said before anyone joins (the check's answer, then the host's word now).
  const recorded = recordedBeforeJoin(check, useHubAbout(target));

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
  const joinedMeanwhile = useCallback(() => void client.deviceOpened(), [client]);
  useCapture(
    'camera',
    inviteOk && camOn,
    devices.cameraId,
    attempts.camera,
    reportError,
    joinedMeanwhile,
  );
  useCapture(
    'microphone',
    inviteOk,
    devices.microphoneId,
    attempts.microphone,
    reportError,
    joinedMeanwhile,
  );
  const tryAgain = (kind: CaptureKind) =>
    setAttempts((counts) => ({ ...counts, [kind]: counts[kind] + 1 }));

  // Device names are only readable once a permission was granted.
  useEffect(() => {
    if (camTrack || micTrack) void refreshDevices(setDevices);
  }, [camTrack, micTrack, setDevices]);

  const replaceTrack = (kind: 'camTrack' | 'micTrack') => {
    useMeeting.getState().localMedia[kind]?.stop();
    setLocalMedia({ [kind]: null });
  };

  const toggleCamera = () => {
    if (camOn) replaceTrack('camTrack');
    setLocalMedia({ camOn: !camOn });
  };

  const back = () => setSession({ phase: 'home', target: null, error: null });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (target && inviteOk && name.trim()) void client.join(target, name.trim());
  };

  if (!target) return null;
  if (check.state === 'invalid' || check.state === 'unreachable')
    return <InviteProblem target={target} check={check} onRetry={recheck} onBack={back} />;
  const joining = phase === 'joining';
  return (
    <main className="screen prejoin">
      <section className="preview">
        {camOn && camTrack ? (
          <VideoView track={camTrack} mirrored label="Your camera preview" />
        ) : (
          <div className="preview-off">
            {!inviteOk ? (
              'Checking the invite link…'
            ) : camOn && mediaErrors.camera ? (
              <div className="device-problem">
                <span>{mediaErrors.camera}</span>
                <button type="button" onClick={() => tryAgain('camera')}>
                  Try again
                </button>
              </div>
            ) : (
              'Camera is off'
            )}
          </div>
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
        <h2>{asking ? 'Ready to ask?' : 'Ready to join?'}</h2>
        <p className="muted">
          {target.name ? (
            <>
              <strong>{target.name}</strong> at {new URL(target.origin).host}
            </>
          ) : (
            <>
              Meeting at <strong>{new URL(target.origin).host}</strong>
            </>
          )}
          {asking && (
            <>
              <br />
              You have no invite link, so someone in the meeting must let you in.
            </>
          )}
          {check.state === 'valid' && check.owner && (
            <>
              <br />
              You opened the owner link: you join as the meeting&rsquo;s owner. Invite others with
              the Invite button in the meeting, not with this link.
            </>
          )}
        </p>
        <RecordingNotice recording={recorded} />
        {target.fingerprint && <Fingerprint fingerprint={target.fingerprint} />}
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
            value={selectedDevice(devices.cameras, devices.cameraId, camTrack)}
            onChange={(deviceId) => {
              replaceTrack('camTrack');
              setDevices({ cameraId: deviceId || null });
            }}
          />
          <DeviceSelect
            id="microphone-select"
            kind="Microphone"
            devices={devices.microphones}
            value={selectedDevice(devices.microphones, devices.microphoneId, micTrack)}
            onChange={(deviceId) => {
              replaceTrack('micTrack');
              setDevices({ microphoneId: deviceId || null });
            }}
          />
          {mediaErrors.microphone && (
            <div className="row">
              <p className="warning">{mediaErrors.microphone}</p>
              <button type="button" onClick={() => tryAgain('microphone')}>
                Try again
              </button>
            </div>
          )}
          <SpeakerChoice id="speaker-select" />
          {joinError && (
            <p role="alert" className="error">
              {joinError}
            </p>
          )}
          <div className="row">
            <button
              type="submit"
              className="primary"
              disabled={joining || !inviteOk || !name.trim()}
            >
              {joining ? (asking ? 'Asking…' : 'Joining…') : asking ? 'Ask to join' : 'Join now'}
            </button>
            <button type="button" onClick={back}>
              Back
            </button>
          </div>
        </form>
      </section>
    </main>
  );
}
