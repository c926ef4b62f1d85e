import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, expect, test, vi } from 'vitest';
import type { DesktopBridge } from '../../../shared/desktop/bridge';
import { MeetingClientContext } from '../../meeting/context';
import type { MeetingClient } from '../../meeting/meeting-client';
import { useMeeting } from '../../state/store';
import { HostControls } from '../moderation/HostControls';
import { Notices } from '../notices/Notices';
import { formatWhen } from './describe';
import { RecordingDialogs } from './RecordingDialogs';
import { RecordingIndicator } from './RecordingIndicator';
import { ada, recordingInRoom, self, status, summary } from './recording-test-kit';

// What people in the room see of recording, with the real recording client
// on a real socket: frames from a stand-in host go through it into the store.

vi.mock('../notices/chime', () => ({ chime: vi.fn(), noticeSoundOn: () => false }));

beforeAll(() => {
  // jsdom has <dialog> but not its modal methods.
  const proto = HTMLDialogElement.prototype;
  proto.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.close = function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

beforeEach(() => useMeeting.setState(useMeeting.getInitialState()));
afterEach(() => delete (window as { roundtableDesktop?: unknown }).roundtableDesktop);

function renderRoom(privilege: number) {
  const room = recordingInRoom(useMeeting, privilege);
  const client = { recording: room.client, moderation: {} } as unknown as MeetingClient;
  const view = render(
    <MeetingClientContext value={client}>
      <RecordingIndicator />
      <Notices />
      <nav aria-label="Meeting controls">
        <HostControls />
      </nav>
      <RecordingDialogs />
    </MeetingClientContext>,
  );
  const push = (...args: Parameters<typeof room.host.push>) => act(() => room.host.push(...args));
  return { ...room, ...view, push };
}

const indicator = () => screen.getByTestId('recording-indicator');
const toasts = (container: HTMLElement) =>
  [...container.querySelectorAll('.notice-toast')].map((toast) => toast.textContent);

function openHostControls() {
  const summary = screen.getByText('Host controls', { selector: '.ctl-label' }).closest('summary')!;
  fireEvent.click(summary);
}

test('everyone sees the pill while recording; each start and stop is said once and toasted', async () => {
  const { push, container } = renderRoom(7);
  push('downstream-recording', { ...status(), by: null, message: null });
  expect(within(indicator()).queryByText('Recording')).toBeNull();

  push('downstream-recording', {
    ...status({ recording: true, started_at: Date.UTC(2026, 2, 3, 13, 2), started_by: ada }),
    by: ada,
    message: null,
  });
  const pill = within(indicator()).getByText('Recording');
  expect(pill.className).toBe('rec-pill');
  expect(pill.getAttribute('title')).toMatch(
    /^This meeting is being recorded since \d\d:\d\d, started by Ada$/,
  );
  // In a polite live region, said whole: the pill and who started it.
  expect(indicator().getAttribute('aria-live')).toBe('polite');
  expect(indicator().getAttribute('aria-atomic')).toBe('true');
  await waitFor(() => expect(indicator().textContent).toBe('Recording. Ada started recording'));
  expect(toasts(container)).toEqual(['Ada started recording']);
  // Not said a second time by the notices' own announcer.
  expect(screen.getByTestId('moderation-announcer').textContent).toBe('');

  push('downstream-recording', { ...status(), by: null, message: 'the disk on the host is full' });
  expect(within(indicator()).queryByText('Recording')).toBeNull();
  expect(indicator().textContent).toBe('Recording stopped. The disk on the host is full.');
  expect(toasts(container)).toEqual([
    'Ada started recording',
    'Recording stopped. The disk on the host is full.',
  ]);
});

test('entering a meeting being recorded: the pill is there, and it is said once the room is', async () => {
  useMeeting
    .getState()
    .setRecordingStatus(status({ recording: true, started_at: 1, started_by: ada }));
  renderRoom(7);
  expect(within(indicator()).getByText('Recording')).toBeTruthy();
  // Filled after the region is in the page, so that screen readers say it.
  expect(indicator().textContent).toBe('Recording');
  await waitFor(() =>
    expect(indicator().textContent).toBe('Recording. This meeting is being recorded'),
  );
});

test('members get no recording controls; admins start after a confirmation and stop at once', async () => {
  const member = renderRoom(7);
  member.push('downstream-recording', { ...status(), by: null, message: null });
  expect(screen.queryByText('Host controls')).toBeNull();
  expect(screen.queryByRole('button', { name: /recording/i })).toBeNull();
  member.unmount();

  const { push, host } = renderRoom(31);
  push('downstream-recording', { ...status(), by: null, message: null });
  openHostControls();
  fireEvent.click(await screen.findByRole('button', { name: 'Start recording' }));
  const dialog = screen.getByRole('dialog', { name: 'Start recording?' });
  expect(dialog.textContent).toContain('Everyone in the meeting will be told');
  expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
  expect(host.sent).toEqual([]);
  await act(async () =>
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start recording' })),
  );
  expect(host.sent.map((frame) => frame.name)).toEqual(['meeting.upstream-recording-start']);
  expect(screen.queryByRole('dialog')).toBeNull();

  push('downstream-recording', {
    ...status({ recording: true, started_at: Date.UTC(2026, 2, 3, 13, 2), started_by: self }),
    by: self,
    message: null,
  });
  openHostControls();
  const stop = await screen.findByRole('button', {
    name: 'Stop recording',
    description: /^Recording since \d\d:\d\d\. Everyone in the meeting can see it\.$/,
  });
  await act(async () => fireEvent.click(stop));
  expect(host.sent.at(-1)!.name).toBe('meeting.upstream-recording-stop');
});

test('a host that cannot record: Start recording is disabled and says why', async () => {
  const { push } = renderRoom(63);
  push('downstream-recording', {
    ...status({ available: false, unavailable_reason: 'ffmpeg is not installed on the host' }),
    by: null,
    message: null,
  });
  openHostControls();
  const start = await screen.findByRole('button', {
    name: 'Start recording',
    description: 'Recording is unavailable: ffmpeg is not installed on the host',
  });
  expect(start).toHaveProperty('disabled', true);
  expect(screen.getByText('Recording is unavailable: ffmpeg is not installed on the host')).toBe(
    document.getElementById(start.getAttribute('aria-describedby')!),
  );
  // The recordings made before stay listed.
  expect(screen.getByRole('button', { name: 'Recordings' })).toHaveProperty('disabled', false);
});

test('a start the host refuses says why in the confirmation', async () => {
  const { push, host } = renderRoom(31);
  push('downstream-recording', { ...status(), by: null, message: null });
  host.refuse = () => ({ reason: 'unavailable', message: 'no disk space left on the host' });
  openHostControls();
  fireEvent.click(await screen.findByRole('button', { name: 'Start recording' }));
  const dialog = screen.getByRole('dialog', { name: 'Start recording?' });
  await act(async () =>
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start recording' })),
  );
  expect(within(dialog).getByRole('alert').textContent).toBe(
    'Recording is unavailable: no disk space left on the host',
  );
});

const t0 = Date.UTC(2026, 2, 3, 9, 0);
const minutes = (n: number) => n * 60_000;

test('the Recordings dialog: newest first, with length, size, state, progress and Download when ready', async () => {
  const { push, http } = renderRoom(31);
  push('downstream-recording', { ...status(), by: null, message: null });
  http.recordings = [
    summary('live', { started_at: t0 + minutes(300) }),
    summary('composing', {
      started_at: t0 + minutes(200),
      stopped_at: t0 + minutes(230),
      state: 'composing',
      progress: 0.42,
    }),
    summary('ready', {
      started_at: t0 + minutes(100),
      stopped_at: t0 + minutes(113),
      state: 'composed',
      file: { name: 'recording.mp4', bytes: 245_300_000, duration_ms: 725_000 },
    }),
    summary('cut', {
      started_at: t0 + minutes(50),
      stopped_at: t0 + minutes(52),
      state: 'composed',
      incomplete: true,
      problems: ['The disk filled up: recording stopped early.', 'Ben’s camera track is damaged.'],
      file: { name: 'recording.mp4', bytes: 4_200_000, duration_ms: 120_000 },
    }),
    summary('failed', {
      started_at: t0,
      stopped_at: t0 + minutes(1),
      state: 'compose_failed',
      problems: ['ffmpeg exited with code 1'],
    }),
  ];
  openHostControls();
  fireEvent.click(await screen.findByRole('button', { name: 'Recordings' }));
  const dialog = await screen.findByRole('dialog', { name: 'Recordings' });
  const list = await within(dialog).findByRole('list', { name: 'Recordings, newest first' });
  const items = within(list)
    .getAllByRole('listitem')
    .filter((item) => item.parentElement === list);
  expect(items.map((item) => item.dataset.testid)).toEqual([
    'recording-live',
    'recording-composing',
    'recording-ready',
    'recording-cut',
    'recording-failed',
  ]);
  const [live, composing, ready, cut, failed] = items as [
    HTMLElement,
    HTMLElement,
    HTMLElement,
    HTMLElement,
    HTMLElement,
  ];
  expect(within(live).getByRole('heading').textContent).toBe(formatWhen(t0 + minutes(300)));
  expect(within(live).getByText('Recording…')).toBeTruthy();
  expect(within(composing).getByText('30 min')).toBeTruthy();
  expect(within(composing).getByText('Composing 42 %')).toBeTruthy();
  expect(within(composing).getByRole('progressbar')).toHaveProperty('value', 0.42);
  expect(within(ready).getByText('12 min 5 s · 245 MB')).toBeTruthy();
  expect(within(ready).getByText('Ready')).toBeTruthy();
  expect(within(failed).getByText('Failed: ffmpeg exited with code 1')).toBeTruthy();
  // Incomplete: a badge, and what went wrong folded under it.
  const details = cut.querySelector('details')!;
  expect(details.querySelector('summary')!.textContent).toBe('IncompleteWhat went wrong');
  expect([...details.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
    'The disk filled up: recording stopped early.',
    'Ben’s camera track is damaged.',
  ]);
  // Download only for the composed ones.
  expect(
    within(dialog)
      .getAllByRole('button', { name: /^Download/ })
      .map((button) => button.closest('li')!.dataset.testid),
  ).toEqual(['recording-ready', 'recording-cut']);
  expect(
    within(ready).getByRole('button', {
      name: `Download the recording of ${formatWhen(t0 + minutes(100))} (245 MB)`,
    }),
  ).toBeTruthy();

  // The host's pushes move it on while the dialog is open.
  push(
    'downstream-recording-progress',
    summary('composing', {
      started_at: t0 + minutes(200),
      stopped_at: t0 + minutes(230),
      state: 'composed',
      file: { name: 'recording.mp4', bytes: 1_340_000_000, duration_ms: minutes(30) },
    }),
  );
  const composed = screen.getByTestId('recording-composing');
  expect(within(composed).queryByRole('progressbar')).toBeNull();
  expect(within(composed).getByText('30 min · 1.3 GB')).toBeTruthy();
  expect(within(composed).getByRole('button', { name: /^Download/ })).toBeTruthy();
});

test('Download fetches the file with the admin’s credential and saves it', async () => {
  const { push, http } = renderRoom(31);
  push('downstream-recording', { ...status(), by: null, message: null });
  http.recordings = [
    summary('ready', {
      state: 'composed',
      stopped_at: t0 + minutes(10),
      file: { name: 'recording.mp4', bytes: 9, duration_ms: minutes(10) },
    }),
  ];
  http.files.set('ready', { name: 'design-review.mp4', body: 'MP4 bytes' });
  URL.createObjectURL = () => 'blob:recording';
  URL.revokeObjectURL = vi.fn();
  const saved: string[] = [];
  const onClick = (event: MouseEvent) => {
    if (!(event.target instanceof HTMLAnchorElement)) return;
    saved.push(event.target.download);
    event.preventDefault();
  };
  document.addEventListener('click', onClick);
  try {
    openHostControls();
    fireEvent.click(await screen.findByRole('button', { name: 'Recordings' }));
    const download = await screen.findByRole('button', { name: /^Download the recording/ });
    await act(async () => fireEvent.click(download));
    await waitFor(() => expect(saved).toEqual(['design-review.mp4']));
    expect(http.requests.at(-1)).toMatchObject({ auth: 'cred-admin' });
    expect(download.textContent).toBe('Download');
  } finally {
    document.removeEventListener('click', onClick);
  }
});

test('an empty list says so; a list the host refuses says why and offers to try again', async () => {
  const { push, http } = renderRoom(31);
  push('downstream-recording', { ...status(), by: null, message: null });
  http.listRefusal = { reason: 'unavailable', message: 'storage busy', status: 503 };
  openHostControls();
  fireEvent.click(await screen.findByRole('button', { name: 'Recordings' }));
  const dialog = await screen.findByRole('dialog', { name: 'Recordings' });
  const alert = await within(dialog).findByRole('alert');
  expect(alert.textContent).toContain('Could not list the recordings: storage busy.');
  http.listRefusal = null;
  fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
  expect(
    await within(dialog).findByText('No recordings yet. Start one from Host controls.'),
  ).toBeTruthy();
  expect(within(dialog).queryByRole('button', { name: 'Open folder' })).toBeNull();
});

test('in the desktop app that hosts, Open folder shows the recordings folder', async () => {
  const openRecordingsFolder = vi.fn(async () => undefined);
  (window as { roundtableDesktop?: Partial<DesktopBridge> }).roundtableDesktop = {
    hostingInfo: async () => ({
      inviteUrl: 'https://10.0.0.2:8443/#/join?hub=h&invite=i',
      deepLink: 'roundtable://join/10.0.0.2:8443?hub=h&invite=i',
      ownerUrl: 'https://10.0.0.2:8443/#/join?hub=h&invite=o',
      fingerprint: 'AA:BB',
      qrDataUrl: 'data:,',
      mediaSockets: [],
    }),
    openRecordingsFolder,
  };
  const { push } = renderRoom(63);
  push('downstream-recording', { ...status(), by: null, message: null });
  openHostControls();
  fireEvent.click(await screen.findByRole('button', { name: 'Recordings' }));
  fireEvent.click(await screen.findByRole('button', { name: 'Open folder' }));
  expect(openRecordingsFolder).toHaveBeenCalledOnce();
});

test('a host without recording offers none of it', () => {
  renderRoom(63);
  openHostControls();
  expect(screen.getByRole('button', { name: 'Mute everyone' })).toBeTruthy();
  expect(screen.queryByRole('button', { name: /recording/i })).toBeNull();
  expect(screen.queryByRole('button', { name: 'Recordings' })).toBeNull();
});
