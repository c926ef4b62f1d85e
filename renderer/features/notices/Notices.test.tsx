import { act, render, screen } from '@testing-library/react';
import { beforeEach, expect, test, vi } from 'vitest';
import { useMeeting } from '../../state/store';
import { chime } from './chime';
import { Notices } from './Notices';

vi.mock('./chime', () => ({ chime: vi.fn(), noticeSoundOn: () => true }));

beforeEach(() => {
  useMeeting.setState(useMeeting.getInitialState());
  vi.mocked(chime).mockClear();
});

test('what admins do is toasted and announced; a knock is announced with its sound only', () => {
  const { container } = render(<Notices />);
  const announcer = screen.getByTestId('moderation-announcer');
  act(() => useMeeting.getState().showModerationNotice('Ada muted your microphone'));
  expect(container.querySelector('.notice-toast')?.textContent).toBe('Ada muted your microphone');
  expect(announcer.textContent).toBe('Ada muted your microphone');
  expect(chime).not.toHaveBeenCalled();

  act(() =>
    useMeeting
      .getState()
      .showModerationNotice('Dee wants to join', { toast: false, sound: 'knock' }),
  );
  expect(chime).toHaveBeenCalledWith('knock');
  expect(container.querySelectorAll('.notice-toast')).toHaveLength(1);
  // Both lines stay in the live region, so one does not cut the other off.
  expect([...announcer.children].map((line) => line.textContent)).toEqual([
    'Ada muted your microphone',
    'Dee wants to join',
  ]);
});
