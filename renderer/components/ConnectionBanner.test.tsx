import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { MeetingClientContext } from '../meeting/context';
import type { MeetingClient } from '../meeting/meeting-client';
import { useMeeting } from '../state/store';
import { ConnectionBanner } from './ConnectionBanner';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  useMeeting.setState(useMeeting.getInitialState());
});
afterEach(() => vi.useRealTimers());

function renderBanner() {
  const retry = vi.fn(async () => undefined);
  render(
    <MeetingClientContext value={{ retry } as unknown as MeetingClient}>
      <ConnectionBanner />
    </MeetingClientContext>,
  );
  return retry;
}

test('says nothing while connected', () => {
  useMeeting.getState().setSession({ connection: 'connected' });
  renderBanner();
  expect(screen.queryByRole('status')).toBeNull();
});

test('while reconnecting it says so, counts down to the next try, and retries now on request', () => {
  useMeeting.getState().setSession({ connection: 'connected', phase: 'in-room' });
  const retry = renderBanner();
  act(() =>
    useMeeting
      .getState()
      .setSession({ connection: 'reconnecting', nextAttemptAt: Date.now() + 4000 }),
  );
  const status = screen.getByRole('status');
  expect(status.textContent).toContain('Reconnecting to the host…');
  expect(status.textContent).toContain('Next try in 4 s');
  // Mid-meeting the certificate was accepted long ago: no first-visit advice.
  expect(status.textContent).not.toMatch(/certificate|first visit/i);

  act(() => vi.advanceTimersByTime(1000));
  expect(status.textContent).toContain('Next try in 3 s');
  act(() => vi.advanceTimersByTime(1500));
  expect(status.textContent).toContain('Next try in 2 s');
  act(() => vi.advanceTimersByTime(1000));
  expect(status.textContent).toContain('Next try in 1 s');

  fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
  expect(retry).toHaveBeenCalledOnce();
});

test('while an attempt runs it says it is trying, and Retry now waits for the outcome', () => {
  useMeeting.getState().setSession({ connection: 'reconnecting', nextAttemptAt: null });
  const retry = renderBanner();
  expect(screen.getByRole('status').textContent).toContain('Trying now');
  const button = screen.getByRole('button', { name: 'Retry now' });
  expect(button).toHaveProperty('disabled', true);
  fireEvent.click(button);
  expect(retry).not.toHaveBeenCalled();
  // The attempt failed: the next wait is counted down again.
  act(() => useMeeting.getState().setSession({ nextAttemptAt: Date.now() + 8000 }));
  expect(screen.getByRole('status').textContent).toContain('Next try in 8 s');
  expect(screen.getByRole('button', { name: 'Retry now' })).toHaveProperty('disabled', false);
});

test('the countdown is not announced every second', () => {
  useMeeting
    .getState()
    .setSession({ connection: 'reconnecting', nextAttemptAt: Date.now() + 5000 });
  renderBanner();
  expect(screen.getByText(/Next try in/).getAttribute('aria-live')).toBe('off');
});

test('connected again, the banner goes away', () => {
  useMeeting.getState().setSession({ connection: 'reconnecting', nextAttemptAt: null });
  renderBanner();
  act(() => useMeeting.getState().setSession({ connection: 'connected' }));
  expect(screen.queryByRole('status')).toBeNull();
});

test('a device error shows until dismissed', () => {
  useMeeting
    .getState()
    .setSession({ connection: 'connected', error: 'Your camera is in use by another program.' });
  renderBanner();
  expect(screen.getByRole('status').textContent).toContain('in use by another program');
  fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
  expect(screen.queryByRole('status')).toBeNull();
});
