import { expect, test } from 'vitest';
import { createMeetingStore } from '../../state/store';

test('a refused unmute mutes the permission and raises the prompt; being allowed takes it down', () => {
  const store = createMeetingStore();
  const state = () => store.getState().moderation;
  expect(state()).toMatchObject({ mayUnmute: true, unmutePrompt: null });
  store.getState().setUnmuteAllowed(true);
  store.getState().unmuteRefused();
  expect(state()).toMatchObject({ mayUnmute: false, unmuteAllowed: false });
  const first = state().unmutePrompt;
  expect(first).not.toBeNull();
  store.getState().unmuteRefused();
  expect(state().unmutePrompt).not.toBe(first);
  store.getState().setMayUnmute(true);
  expect(state()).toMatchObject({ mayUnmute: true, unmutePrompt: null });
  store.getState().unmuteRefused();
  store.getState().dismissUnmutePrompt();
  expect(state()).toMatchObject({ mayUnmute: false, unmutePrompt: null });
});

test('each notice is new, toasted unless said otherwise', () => {
  const store = createMeetingStore();
  store.getState().showModerationNotice('Ada locked the meeting');
  const one = store.getState().moderation.notice!;
  expect(one).toMatchObject({ text: 'Ada locked the meeting', toast: true, sound: null });
  store.getState().showModerationNotice('Ada locked the meeting');
  expect(store.getState().moderation.notice!.seq).not.toBe(one.seq);
  store.getState().showModerationNotice('Dee wants to join', { toast: false, sound: 'knock' });
  expect(store.getState().moderation.notice).toMatchObject({ toast: false, sound: 'knock' });
});

test('clearing forgets the meeting but keeps why it ended for the ended screen', () => {
  const store = createMeetingStore();
  const s = store.getState();
  s.setRoomSettings({ locked: true, ask_to_unmute: true });
  s.setKnocks([
    {
      knock_id: 'k',
      user_id: 'u',
      display_name: 'Dee',
      device: 'Firefox on Android',
      invited: false,
      since: 0,
    },
  ]);
  s.setShareInvite('secret');
  s.setConfirming({ kind: 'end' });
  s.setMeetingClosed({ reason: 'ended', message: 'Ada ended the meeting for everyone' });
  s.clearModeration();
  expect(store.getState().moderation).toEqual({
    settings: { locked: false, ask_to_unmute: false },
    knocks: [],
    mayUnmute: true,
    unmuteAllowed: false,
    unmutePrompt: null,
    notice: null,
    confirming: null,
    shareInvite: null,
    closed: { reason: 'ended', message: 'Ada ended the meeting for everyone' },
  });
});
