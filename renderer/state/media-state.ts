import type { MeetingState } from './store';

/**
 * What others really get from our microphone or camera, for the buttons and
 * our own tile: `on`, `off` (muted or stopped by us), or `unavailable` (the
 * device could not be opened: denied, missing or busy; pressing the button
 * asks for it again).
 */
export type DeviceState = 'on' | 'off' | 'unavailable';

export function micState(s: Pick<MeetingState, 'localMedia'>): DeviceState {
  const { micOn, micTrack, micError } = s.localMedia;
  if (micError || !micTrack || micTrack.readyState === 'ended') return 'unavailable';
  return micOn ? 'on' : 'off';
}

export function camState(s: Pick<MeetingState, 'localMedia'>): DeviceState {
  const { camOn, camTrack, camError } = s.localMedia;
  if (!camOn) return 'off';
  if (camError || !camTrack || camTrack.readyState === 'ended') return 'unavailable';
  return 'on';
}
