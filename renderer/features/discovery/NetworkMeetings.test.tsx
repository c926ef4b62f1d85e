import { act, fireEvent, render, screen } from '@testing-library/react';
import { expect, test } from 'vitest';
import type { DesktopBridge, FoundMeeting } from '../../../shared/desktop/bridge';
import { NetworkMeetings } from './NetworkMeetings';

// The desktop bridge is the edge here (Electron cannot run on this machine;
// the finder behind it is tested between network namespaces in e2e/discovery.spec.ts).

function bridge() {
  let listener: ((meetings: FoundMeeting[]) => void) | undefined;
  const opened: Array<[string, string | null]> = [];
  const desktop = {
    watchMeetings: (next: (meetings: FoundMeeting[]) => void) => {
      listener = next;
      return () => (listener = undefined);
    },
    openMeeting: async (url: string, fingerprint: string | null) => {
      opened.push([url, fingerprint]);
    },
  } as unknown as DesktopBridge;
  return { desktop, opened, push: (meetings: FoundMeeting[]) => act(() => listener?.(meetings)) };
}

const review: FoundMeeting = {
  name: 'Design review',
  urls: ['https://10.0.0.2:8443/'],
  fingerprint: 'AB:CD',
  hostName: 'alices-laptop.local',
};

test('lists the meetings on the network live and opens the chosen one with its fingerprint', () => {
  const { desktop, opened, push } = bridge();
  render(<NetworkMeetings desktop={desktop} />);
  expect(screen.getByRole('status').textContent).toBe('Looking for meetings on this network…');
  push([review]);
  expect(screen.getByRole('listitem').textContent).toContain(
    'Design review on alices-laptop.local',
  );
  fireEvent.click(screen.getByRole('button', { name: 'Ask to join Design review' }));
  expect(opened).toEqual([['https://10.0.0.2:8443/', 'AB:CD']]);
  // It stops: the list follows.
  push([]);
  expect(screen.getByRole('status').textContent).toBe(
    'No meeting is announced on this network right now.',
  );
});
