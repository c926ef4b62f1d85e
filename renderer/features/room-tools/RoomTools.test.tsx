import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, expect, test, vi } from 'vitest';
import { MessageRejectedError } from '../../../shared/client/message-socket';
import type { ChatMessage } from '../../../shared/protocol/room-tools';
import { MeetingClientContext } from '../../meeting/context';
import type { MeetingClient } from '../../meeting/meeting-client';
import { useMeeting } from '../../state/store';
import { RoomToolButtons } from './RoomToolButtons';
import { RoomToolPanels } from './RoomToolPanels';

const said = (id: string, peer_id: string, fullname: string, text: string): ChatMessage => ({
  message_id: id,
  peer_id,
  user_id: `u-${peer_id}`,
  fullname,
  text,
  sent_at: new Date(2024, 0, 1, 9, 5).getTime(),
});

function renderRoom(tools: Partial<MeetingClient['tools']> = {}) {
  const client = { tools: { sendChat: vi.fn(), setHandRaised: vi.fn(), react: vi.fn(), ...tools } };
  render(
    <MeetingClientContext value={client as unknown as MeetingClient}>
      <RoomToolPanels />
      <nav aria-label="Meeting controls">
        <RoomToolButtons />
      </nav>
    </MeetingClientContext>,
  );
  return client.tools;
}

beforeEach(() => {
  useMeeting.setState(useMeeting.getInitialState());
  useMeeting.getState().setSession({
    self: { userId: 'u-me', peerId: 'me', roomId: 'r', displayName: 'Me', privilege: 7 },
  });
});

test('chat shows sender, time and text as text, with its links as links; unread clears on opening', () => {
  renderRoom();
  act(() => {
    useMeeting
      .getState()
      .addChatMessage(said('1', 'ann', 'Ann', 'read <b>this</b> https://example.lan/x.'), 'me');
  });
  const button = screen.getByRole('button', { name: 'Chat, 1 unread' });
  // The notification line names the sender and opens the chat.
  fireEvent.click(screen.getByRole('button', { name: /^Ann: read <b>this<\/b>/ }));
  expect(button).toHaveProperty('ariaExpanded', 'true');
  expect(screen.getByRole('button', { name: 'Chat' })).toBe(button);

  const panel = screen.getByRole('complementary', { name: 'Chat' });
  const item = within(panel).getByRole('listitem');
  expect(item.textContent).toBe('Ann09:05read <b>this</b> https://example.lan/x.');
  expect(item.querySelector('b')).toBeNull();
  const link = within(item).getByRole('link', { name: 'https://example.lan/x' });
  expect(link.getAttribute('href')).toBe('https://example.lan/x');
  expect(link.getAttribute('target')).toBe('_blank');
  expect(link.getAttribute('rel')).toBe('noopener noreferrer');
  expect(document.activeElement).toBe(within(panel).getByLabelText('Message everyone'));
  expect(screen.getByTestId('room-tools-announcer').textContent).toContain(
    'Ann says: read <b>this</b>',
  );
});

test('Enter sends; a refusal shows in the panel; Esc closes it and focus goes back to Chat', async () => {
  const sendChat = vi
    .fn()
    .mockResolvedValueOnce(undefined)
    .mockRejectedValueOnce(new MessageRejectedError('rate_limited', 'at most 5'));
  renderRoom({ sendChat });
  const button = screen.getByRole('button', { name: 'Chat' });
  fireEvent.click(button);
  const input = screen.getByLabelText('Message everyone');
  fireEvent.change(input, { target: { value: '  hi all ' } });
  await act(async () => {
    fireEvent.submit(input);
  });
  expect(sendChat).toHaveBeenCalledWith('hi all');
  expect(input).toHaveProperty('value', '');

  fireEvent.change(input, { target: { value: 'again' } });
  await act(async () => {
    fireEvent.submit(input);
  });
  expect(screen.getByRole('alert').textContent).toMatch(/^Slow down/);
  expect(input).toHaveProperty('value', 'again');

  fireEvent.keyDown(input, { key: 'Escape' });
  expect(screen.queryByRole('complementary', { name: 'Chat' })).toBeNull();
  expect(document.activeElement).toBe(button);

  // The draft stays; a click outside closes the chat too, and focus comes back to Chat.
  fireEvent.click(button);
  expect(input).toHaveProperty('value', 'again');
  fireEvent.pointerDown(document.body);
  expect(screen.queryByRole('complementary', { name: 'Chat' })).toBeNull();
  await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
  expect(document.activeElement).toBe(button);
});

test('the hand queue lists hands first raised first; the button raises and lowers ours', () => {
  const setHandRaised = vi.fn().mockResolvedValue(undefined);
  renderRoom({ setHandRaised });
  fireEvent.click(screen.getByRole('button', { name: 'Raise hand' }));
  expect(setHandRaised).toHaveBeenLastCalledWith(true);
  act(() => {
    useMeeting.getState().setHands([
      { peer_id: 'ann', user_id: 'u-ann', fullname: 'Ann', raised_at: 1 },
      { peer_id: 'me', user_id: 'u-me', fullname: 'Me', raised_at: 2 },
    ]);
  });
  const queue = screen.getByRole('region', { name: 'Raised hands (2)' });
  expect(
    within(queue)
      .getAllByRole('listitem')
      .map((li) => li.textContent),
  ).toEqual(['Ann', 'Me (you)']);
  fireEvent.click(screen.getByRole('button', { name: 'Lower hand' }));
  expect(setHandRaised).toHaveBeenLastCalledWith(false);
  act(() => {
    useMeeting.getState().setHands([], { lowered: { peer_id: 'me', why: 'spoke' } });
  });
  expect(screen.queryByRole('region', { name: /Raised hands/ })).toBeNull();
  expect(screen.getByTestId('room-tools-notice').textContent).toBe(
    'Your hand was lowered because you spoke.',
  );
});

test('reactions: a named button each; choosing one sends it, closes and gives focus back', () => {
  const react = vi.fn().mockResolvedValue(undefined);
  renderRoom({ react });
  const button = screen.getByRole('button', { name: 'Reactions' });
  fireEvent.click(button);
  const group = screen.getByRole('group', { name: 'Reactions' });
  expect(within(group).getAllByRole('button')).toHaveLength(6);
  expect(document.activeElement).toBe(
    within(group).getByRole('button', { name: 'React with thumbs up' }),
  );
  fireEvent.click(within(group).getByRole('button', { name: 'React with celebration' }));
  expect(react).toHaveBeenCalledWith('🎉');
  expect(screen.queryByRole('group', { name: 'Reactions' })).toBeNull();
  expect(document.activeElement).toBe(button);

  // An outside click closes it too.
  fireEvent.click(button);
  fireEvent.pointerDown(document.body);
  expect(screen.queryByRole('group', { name: 'Reactions' })).toBeNull();
});
