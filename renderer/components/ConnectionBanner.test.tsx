import { act, fireEvent, render, screen } from '@testing-library/react';
import { beforeEach, expect, test, vi } from 'vitest';
import { MeetingClientContext } from '../meeting/context';
import type { MeetingClient } from '../meeting/meeting-client';
import { useMeeting } from '../state/store';
import { ConnectionBanner } from './ConnectionBanner';

beforeEach(() => useMeeting.setState(useMeeting.getInitialState()));

function renderBanner() {
  const retry = vi.fn(async () => undefined);
  render(
    <MeetingClientContext value={{ retry } as unknown as MeetingClient}>
      <ConnectionBanner />
    </MeetingClientContext>,
  );
  return retry;
}

test('says nothing while connected, says so while reconnecting, offers a retry when it failed', () => {
  useMeeting.getState().setSession({ connection: 'connected' });
  renderBanner();
  expect(screen.queryByRole('status')).toBeNull();

  act(() => useMeeting.getState().setSession({ connection: 'reconnecting' }));
  expect(screen.getByRole('status').textContent).toContain('Reconnecting');
  expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
});

test('a failed connection shows its reason and retries on request', () => {
  useMeeting.getState().setSession({ connection: 'failed', error: 'Cannot reach the host.' });
  const retry = renderBanner();
  expect(screen.getByRole('status').textContent).toContain('Cannot reach the host.');
  fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
  expect(retry).toHaveBeenCalledOnce();
});
