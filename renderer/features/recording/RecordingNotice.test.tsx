import { act, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { MeetingClientContext } from '../../meeting/context';
import type { MeetingClient } from '../../meeting/meeting-client';
import { Lobby } from '../../screens/Lobby';
import { PreJoin } from '../../screens/PreJoin';
import { useMeeting, type JoinTarget } from '../../state/store';

// Before joining, people are told the meeting is being recorded: from the
// host's answer to the invite check and from hub.about, which the screens
// ask themselves. The host's HTTP side is a stand-in answering those two.

const ORIGIN = 'https://192.168.1.20:8443';
let nextInvite = 0;

function hostSays({ checked, about }: { checked: boolean; about: boolean | 'older-host' }) {
  const calls: string[] = [];
  const answer = (service: string, data: unknown, status = 200) =>
    new Response(
      JSON.stringify(
        status === 200
          ? { __ack__: service, __status__: 'ok', __timestamp__: 0, data }
          : {
              __ack__: service,
              __status__: 'error',
              __timestamp__: 0,
              data: { reason: 'unknown_service', message: 'no such service' },
            },
      ),
      { status },
    );
  vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    calls.push(url.pathname);
    if (url.pathname === '/-/svc/hub.check_invite')
      return answer('hub.check_invite', {
        hub_id: 'hub-1',
        privilege: 7,
        share_invite: 'inv',
        recording: checked,
      });
    if (url.pathname === '/-/svc/hub.about')
      return about === 'older-host'
        ? answer('hub.about', null, 404)
        : answer('hub.about', { hub_id: 'hub-1', name: 'Design review', recording: about });
    throw new TypeError('Failed to fetch');
  });
  return calls;
}

function open(screenOf: 'prejoin' | 'lobby', invite: string | null = `inv-${++nextInvite}`) {
  const target: JoinTarget = { origin: ORIGIN, hubId: 'hub-1', invite, fingerprint: null };
  useMeeting.getState().setSession({
    phase: screenOf,
    target,
    lobby: screenOf === 'lobby' ? { state: 'waiting', message: null, name: 'Ben' } : null,
  });
  return render(
    <MeetingClientContext value={{} as MeetingClient}>
      {screenOf === 'prejoin' ? <PreJoin /> : <Lobby />}
    </MeetingClientContext>,
  );
}

beforeEach(() => {
  useMeeting.setState(useMeeting.getInitialState());
  useMeeting.getState().setLocalMedia({ camOn: false });
});
afterEach(() => vi.unstubAllGlobals());

test('pre-join says the meeting is being recorded when the invite check says so', async () => {
  const calls = hostSays({ checked: true, about: 'older-host' });
  open('prejoin');
  const notice = await screen.findByText('This meeting is being recorded');
  // In a live region: said when the answer comes after the screen opened.
  expect(notice.closest('[aria-live="polite"]')).toBeTruthy();
  expect(notice.closest('p')!.textContent).toContain(
    'What you say and show in it will be in the recording.',
  );
  expect(calls).toContain('/-/svc/hub.check_invite');
});

test('pre-join says nothing of recording when the host says the meeting is not recorded', async () => {
  const calls = hostSays({ checked: false, about: false });
  open('prejoin');
  // Both answers are in: the check let the camera preview go on, hub.about was asked.
  await waitFor(() => expect(screen.getByText('Camera is off')).toBeTruthy());
  expect(calls).toEqual(expect.arrayContaining(['/-/svc/hub.check_invite', '/-/svc/hub.about']));
  await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
  expect(screen.queryByText('This meeting is being recorded')).toBeNull();
});

test('the host’s word now (hub.about) wins over an older check', async () => {
  hostSays({ checked: false, about: true });
  open('prejoin');
  expect(await screen.findByText('This meeting is being recorded')).toBeTruthy();
});

test('someone asking without an invite is told too (hub.about), as is someone waiting in the lobby', async () => {
  hostSays({ checked: false, about: true });
  const prejoin = open('prejoin', null);
  expect(await screen.findByText('This meeting is being recorded')).toBeTruthy();
  prejoin.unmount();

  open('lobby', null);
  const status = await screen.findByRole('status');
  await waitFor(() =>
    expect(within(status).getByText('This meeting is being recorded')).toBeTruthy(),
  );
  expect(within(status).getByRole('heading').textContent).toBe('Asking to join Design review…');
});
