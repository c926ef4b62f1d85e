import { render, screen, within } from '@testing-library/react';
import { beforeEach, expect, test } from 'vitest';
import type { HubMember } from '../../shared/protocol/services';
import { useMeeting } from '../state/store';
import { PeoplePanel } from './PeoplePanel';

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
      displayName: 'Ben',
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
  render(<PeoplePanel selfName="Ada" />);

  const panel = screen.getByRole('complementary', { name: 'People' });
  expect(within(panel).getByRole('heading', { name: 'In this meeting (2)' })).toBeTruthy();
  expect(screen.getByTestId('participant-u1').textContent).toContain('muted');
  expect(screen.getByText('Ada (you)').nextSibling?.textContent).toBe('muted');
  const members = screen.getAllByTestId(/^member-/);
  expect(members.map((row) => row.dataset.online)).toEqual(['2', '1', '0']);
  expect(members[1]!.textContent).toContain('Ann · host');
  expect(members[2]!.textContent).toContain('Offline');
});
