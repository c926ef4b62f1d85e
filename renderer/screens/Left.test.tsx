import { fireEvent, render, screen } from '@testing-library/react';
import { beforeEach, expect, test, vi } from 'vitest';
import { MeetingClientContext } from '../meeting/context';
import type { MeetingClient } from '../meeting/meeting-client';
import { useMeeting } from '../state/store';
import { Left } from './Left';

beforeEach(() => useMeeting.setState(useMeeting.getInitialState()));

function renderLeft() {
  const retry = vi.fn(async () => undefined);
  render(
    <MeetingClientContext value={{ retry } as unknown as MeetingClient}>
      <Left />
    </MeetingClientContext>,
  );
  return retry;
}

test.each([
  ['host_ended', 'The host ended the meeting'],
  ['room_deleted', 'The meeting was ended'],
  ['replaced', 'You joined this meeting from another tab or device'],
] as const)(
  'ended by %s: says so, never "reconnecting", and rejoins here on request',
  (ended, title) => {
    useMeeting.getState().setSession({ phase: 'left', ended, connection: 'failed' });
    const retry = renderLeft();
    expect(screen.getByRole('heading').textContent).toBe(title);
    expect(document.body.textContent).not.toMatch(/reconnecting|certificate/i);
    fireEvent.click(screen.getByRole('button', { name: 'Rejoin here' }));
    expect(retry).toHaveBeenCalledOnce();
  },
);

test('refused for good: the host\u2019s reason is shown', () => {
  useMeeting.getState().setSession({
    phase: 'left',
    ended: 'refused',
    error: 'This invite link is not valid for this host. Ask for a new one.',
  });
  renderLeft();
  expect(screen.getByRole('heading').textContent).toBe('The host no longer lets you in');
  expect(screen.getByText(/invite link is not valid/)).toBeTruthy();
});

test('after leaving on purpose: "You left", Rejoin goes back to the pre-join screen', () => {
  useMeeting.getState().setSession({ phase: 'left', ended: null });
  const retry = renderLeft();
  expect(screen.getByRole('heading').textContent).toBe('You left the meeting');
  fireEvent.click(screen.getByRole('button', { name: 'Rejoin' }));
  expect(retry).not.toHaveBeenCalled();
  expect(useMeeting.getState().session.phase).toBe('prejoin');
});

test('Home forgets how the last meeting ended', () => {
  useMeeting.getState().setSession({ phase: 'left', ended: 'host_ended' });
  renderLeft();
  fireEvent.click(screen.getByRole('button', { name: 'Home' }));
  expect(useMeeting.getState().session).toMatchObject({ phase: 'home', ended: null, target: null });
});

test('on its way back it says so and does not start twice', () => {
  useMeeting.getState().setSession({ phase: 'left', ended: 'replaced', connection: 'connecting' });
  const retry = renderLeft();
  const button = screen.getByRole('button', { name: 'Rejoining…' });
  expect(button).toHaveProperty('disabled', true);
  fireEvent.click(button);
  expect(retry).not.toHaveBeenCalled();
});

test('removed: the host\u2019s words, no way back in from here, only Home', () => {
  useMeeting.getState().setSession({ phase: 'left', ended: 'removed', connection: 'failed' });
  useMeeting
    .getState()
    .setMeetingClosed({ reason: 'removed', message: 'Ada removed you from the meeting' });
  const retry = renderLeft();
  expect(screen.getByRole('heading').textContent).toBe('You were removed from the meeting');
  expect(screen.getByText('Ada removed you from the meeting')).toBeTruthy();
  expect(screen.queryByRole('button', { name: /Rejoin/ })).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'Home' }));
  expect(retry).not.toHaveBeenCalled();
  expect(useMeeting.getState().session.phase).toBe('home');
});

test('ended for everyone: says who ended it, and Rejoin starts it again', () => {
  useMeeting.getState().setSession({ phase: 'left', ended: 'ended', connection: 'failed' });
  useMeeting
    .getState()
    .setMeetingClosed({ reason: 'ended', message: 'Ada ended the meeting for everyone' });
  const retry = renderLeft();
  expect(screen.getByRole('heading').textContent).toBe('Ada ended the meeting for everyone');
  fireEvent.click(screen.getByRole('button', { name: 'Rejoin' }));
  expect(retry).toHaveBeenCalledOnce();
});

test('revoked: no rejoin; the words of an earlier ending do not leak into this one', () => {
  useMeeting.getState().setSession({ phase: 'left', ended: 'revoked', connection: 'failed' });
  useMeeting.getState().setMeetingClosed({ reason: 'ended', message: 'Someone ended it' });
  renderLeft();
  expect(screen.getByRole('heading').textContent).toBe('Your membership was revoked');
  expect(screen.queryByText('Someone ended it')).toBeNull();
  expect(screen.queryByRole('button', { name: /Rejoin/ })).toBeNull();
});
