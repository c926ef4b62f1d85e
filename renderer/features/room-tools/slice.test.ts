import { beforeEach, expect, test } from 'vitest';
import type { ChatMessage, RaisedHand } from '../../../shared/protocol/room-tools';
import { useMeeting } from '../../state/store';

const message = (id: string, peer_id: string): ChatMessage => ({
  message_id: id,
  peer_id,
  user_id: `u-${peer_id}`,
  fullname: peer_id,
  text: `message ${id}`,
  sent_at: 1_700_000_000_000,
});
const hand = (peer_id: string): RaisedHand => ({
  peer_id,
  user_id: `u-${peer_id}`,
  fullname: peer_id,
  raised_at: 1,
});
const state = () => useMeeting.getState();

beforeEach(() => {
  useMeeting.setState(useMeeting.getInitialState());
});

test('messages from others count as unread while the panel is closed; ours never do', () => {
  state().addChatMessage(message('1', 'ann'), 'me');
  state().addChatMessage(message('2', 'me'), 'me');
  state().addChatMessage(message('3', 'bo'), 'me');
  expect(state().chat.unread).toBe(2);
  expect(state().chat.incoming?.message.message_id).toBe('3');

  // Opening the panel reads them; what arrives while it is open is read too.
  state().setChatPanelOpen(true);
  expect(state().chat.unread).toBe(0);
  state().addChatMessage(message('4', 'ann'), 'me');
  expect(state().chat.unread).toBe(0);

  state().setChatPanelOpen(false);
  state().addChatMessage(message('5', 'ann'), 'me');
  expect(state().chat.unread).toBe(1);
  expect(state().chat.messages.map((m) => m.message_id)).toEqual(['1', '2', '3', '4', '5']);
});

test('the same message twice (a rejoin, a late push) is kept and counted once; history is not unread', () => {
  state().setChatHistory([message('1', 'ann'), message('2', 'bo')]);
  expect(state().chat.unread).toBe(0);
  expect(state().chat.incoming).toBeNull();
  state().addChatMessage(message('3', 'ann'), 'me');
  state().addChatMessage(message('3', 'ann'), 'me');
  expect(state().chat.unread).toBe(1);
  // The history again after a rejoin, now with what was said while we were away.
  state().setChatHistory([message('1', 'ann'), message('2', 'bo'), message('3', 'ann')]);
  state().setChatHistory([
    message('1', 'ann'),
    message('2', 'bo'),
    message('3', 'ann'),
    message('4', 'bo'),
  ]);
  expect(state().chat.messages.map((m) => m.message_id)).toEqual(['1', '2', '3', '4']);
  expect(state().chat.unread).toBe(1);
});

test('hand changes say who raised and who lowered, and why; a (re)join list is no change', () => {
  state().setHands([hand('ann'), hand('bo')], { baseline: true });
  expect(state().handChange).toBeNull();

  state().setHands([hand('ann'), hand('bo'), hand('cy')]);
  expect(state().handChange).toMatchObject({ raised: [{ peer_id: 'cy' }], lowered: [] });

  state().setHands([hand('bo'), hand('cy')], { lowered: { peer_id: 'ann', why: 'spoke' } });
  expect(state().handChange).toMatchObject({
    raised: [],
    lowered: [{ hand: { peer_id: 'ann' }, why: 'spoke' }],
  });

  state().setHands([hand('cy')]);
  expect(state().handChange?.lowered).toEqual([{ hand: hand('bo'), why: 'self' }]);
  expect(state().hands).toEqual([hand('cy')]);

  state().clearRoomTools();
  expect(state()).toMatchObject({ hands: [], handChange: null, chat: { messages: [], unread: 0 } });
});
