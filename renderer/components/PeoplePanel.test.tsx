import { render, screen, within } from '@testing-library/react';
import { beforeEach, expect, test } from 'vitest';
import type { HubMember } from '../../shared/protocol/services';
import { MeetingClientContext } from '../meeting/context';
import type { MeetingClient } from '../meeting/meeting-client';
import { useMeeting } from '../state/store';
import { PeoplePanel } from './PeoplePanel';

function renderPanel() {
  render(
    <MeetingClientContext value={{ moderation: {} } as unknown as MeetingClient}>
      <PeoplePanel selfName="Ada" />
    </MeetingClientContext>,
  );
}

const member = (
  id: string,
  fullname: string,
  online: HubMember['online'],
  privilege = 7,
): HubMember => ({
  id,
  fullname,
  online,
  privilege,
  firstname: fullname,
  lastname: null,
  surname: fullname,
  email: null,
  status: 'active',
  is_drumate: 1,
  contact_id: null,
  page: 1,
});

beforeEach(() => {
  useMeeting.setState(useMeeting.getInitialState());
});

test('lists the room with mute state and the hub by presence', () => {
  useMeeting.getState().setPeers([
    {
      peerId: 'p1',
      userId: 'u1',
      fullname: 'Ben',
      displayName: 'Ben (2)',
      privilege: 7,
      reconnecting: false,
      tracks: {
        m: {
          producerId: 'm',
          kind: 'audio',
          source: 'microphone',
          paused: true,
          consumerId: null,
          track: null,
        },
      },
    },
  ]);
  useMeeting
    .getState()
    .setMembers([member('u3', 'Zed', '0'), member('u1', 'Ben', '2'), member('u2', 'Ann', '1', 63)]);
  useMeeting.getState().setLocalMedia({ micOn: false });
  renderPanel();

  const panel = screen.getByRole('complementary', { name: 'People' });
  expect(within(panel).getByRole('heading', { name: 'In this meeting (2)' })).toBeTruthy();
  // The room's name for the person, which tells two Bens apart.
  expect(screen.getByTestId('participant-u1').textContent).toBe('Ben (2)muted');
  expect(screen.getByText('Ada (you)').closest('li')?.textContent).toBe('Ada (you)muted');
  const members = screen.getAllByTestId(/^member-/);
  expect(members.map((row) => row.dataset.online)).toEqual(['2', '1', '0']);
  expect(members[1]!.textContent).toContain('AnnOwner');
  expect(members[2]!.textContent).toContain('Offline');
});

test('roles show beside names: ours too', () => {
  useMeeting.getState().setSession({
    self: { userId: 'me', peerId: 'me', roomId: 'r', displayName: 'Ada', privilege: 31 },
  });
  useMeeting.getState().setPeers([
    {
      peerId: 'p9',
      userId: 'u9',
      fullname: 'Olga',
      displayName: 'Olga',
      privilege: 63,
      reconnecting: false,
      tracks: {},
    },
  ]);
  renderPanel();
  expect(screen.getByText('Ada (you)').closest('li')?.textContent).toContain('Admin');
  expect(screen.getByTestId('participant-u9').textContent).toContain('OlgaOwner');
});
