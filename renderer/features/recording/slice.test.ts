import { expect, test } from 'vitest';
import { createMeetingStore } from '../../state/store';
import { newestFirst } from './slice';
import { ada, status, summary } from './recording-test-kit';

test('the status comes with words for what changed; a status without news keeps the last words', () => {
  const store = createMeetingStore();
  const state = () => store.getState().recording;
  expect(state().status).toBeNull();
  store.getState().setRecordingStatus(status({ recording: true, started_by: ada }));
  expect(state()).toMatchObject({ status: { recording: true }, change: null });
  store.getState().setRecordingStatus(status(), 'Ada stopped recording');
  expect(state().change).toBe('Ada stopped recording');
  store.getState().setRecordingStatus(status({ available: false }));
  expect(state()).toMatchObject({ status: { available: false }, change: 'Ada stopped recording' });
});

test('the list replaces what was known; each progress push replaces its one recording', () => {
  const store = createMeetingStore();
  const s = () => store.getState();
  s().updateRecordingSummary(summary('gone'));
  s().setRecordingSummaries([summary('a', { started_at: 1 }), summary('b', { started_at: 3 })]);
  expect(Object.keys(s().recording.summaries)).toEqual(['a', 'b']);
  s().updateRecordingSummary(summary('a', { started_at: 1, state: 'composing', progress: 0.5 }));
  s().updateRecordingSummary(summary('c', { started_at: 2 }));
  expect(s().recording.summaries.a).toMatchObject({ state: 'composing', progress: 0.5 });
  expect(newestFirst(s().recording.summaries).map((r) => r.recording_id)).toEqual(['b', 'c', 'a']);
});

test('clearing forgets the meeting’s recording, the list and the open dialog', () => {
  const store = createMeetingStore();
  const s = store.getState();
  s.setRecordingStatus(status({ recording: true }), 'Ada started recording');
  s.setRecordingSummaries([summary('a')]);
  s.setRecordingDialog('list');
  s.clearRecording();
  expect(store.getState().recording).toEqual({
    status: null,
    change: null,
    summaries: {},
    dialog: null,
  });
});
