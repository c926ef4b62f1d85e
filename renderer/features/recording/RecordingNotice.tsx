import { useEffect, useState } from 'react';
import type { HubAbout } from '../../../shared/protocol/services';
import { servingHub, type InviteCheck } from '../../meeting/hub-access';
import type { JoinTarget } from '../../state/store';
import { BEING_RECORDED } from './describe';
import './recording.css';

/**
 * What the target's host says about its hub now (hub.about), asked each time
 * a screen before the meeting opens: the invite check may be minutes old by
 * the time someone waits in the lobby. Null until it answers, or when it
 * does not (an older host, or none).
 */
export function useHubAbout(target: JoinTarget | null): HubAbout | null {
  const origin = target?.origin;
  const hubId = target?.hubId;
  const [about, setAbout] = useState<{ key: string; hub: HubAbout } | null>(null);
  useEffect(() => {
    if (!origin || !hubId) return;
    let current = true;
    void servingHub(new URL(origin)).then((hub) => {
      if (current && hub?.hub_id === hubId) setAbout({ key: `${origin}|${hubId}`, hub });
    });
    return () => {
      current = false;
    };
  }, [origin, hubId]);
  return about && about.key === `${origin}|${hubId}` ? about.hub : null;
}

/**
 * Whether someone about to join should be told the meeting is being
 * recorded: the host's freshest word (hub.about), else its answer to the
 * invite check.
 */
export function recordedBeforeJoin(check: InviteCheck, about: HubAbout | null): boolean {
  if (typeof about?.recording === 'boolean') return about.recording;
  return check.state === 'valid' && check.recording;
}

/**
 * "This meeting is being recorded", on the screens before the meeting
 * (pre-join, lobby), in a polite live region so that word arriving after the
 * screen opened is said too; `live` false: the screen puts it in its own.
 */
export function RecordingNotice({
  recording,
  live = true,
}: {
  recording: boolean;
  live?: boolean;
}) {
  const notice = recording && (
    <p className="rec-notice">
      <span className="rec-dot" aria-hidden="true" />
      <span>
        <strong>{BEING_RECORDED}</strong>
        <span className="rec-notice-detail">
          What you say and show in it will be in the recording.
        </span>
      </span>
    </p>
  );
  if (!live) return notice || null;
  return (
    <div className="rec-notice-region" aria-live="polite">
      {notice}
    </div>
  );
}
