import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { MessageSocket } from '../../../shared/client/message-socket';
import { createMeetingStore } from '../../state/store';
import { fileNameFrom } from './recording-client';
import {
  ada,
  HostSocket,
  ORIGIN,
  recordingInRoom,
  self,
  status,
  summary,
} from './recording-test-kit';

// The recording client against the host's frames: the real MessageSocket
// reads them off a stand-in for the WebSocket, the real ServiceClient calls a
// stand-in for the host's HTTP side.

function setup(privilege = 31, auth = 'cred-admin') {
  const store = createMeetingStore();
  const room = recordingInRoom(store, privilege, auth);
  const state = () => store.getState().recording;
  const notice = () => store.getState().moderation.notice;
  return { store, state, notice, ...room };
}

test('the first status is where the meeting stands: shown, not announced as news', () => {
  const { host, state, notice } = setup();
  expect(state().status).toBeNull();
  host.push('downstream-recording', {
    ...status({ recording: true, started_at: 1000, started_by: ada }),
    by: null,
    message: null,
  });
  expect(state().status).toMatchObject({ recording: true, started_by: ada });
  expect(state().change).toBeNull();
  expect(notice()).toBeNull();
});

test('starts and stops are told with who did them, toasted (the indicator says them aloud)', () => {
  const { host, state, notice } = setup();
  host.push('downstream-recording', { ...status(), by: null, message: null });

  host.push('downstream-recording', {
    ...status({ recording: true, started_at: 1000, started_by: ada }),
    by: ada,
    message: null,
  });
  expect(state().change).toBe('Ada started recording');
  expect(notice()).toMatchObject({ text: 'Ada started recording', toast: true, announce: false });

  host.push('downstream-recording', { ...status(), by: self, message: null });
  expect(state().status!.recording).toBe(false);
  expect(notice()!.text).toBe('You stopped recording');

  // The host's REST API started it: nobody to name.
  host.push('downstream-recording', {
    ...status({ recording: true, started_at: 2000 }),
    by: null,
    message: null,
  });
  expect(notice()!.text).toBe('Recording started');
});

test('the host stopping it by itself is told with its reason', () => {
  const { host, state, notice } = setup(7);
  host.push('downstream-recording', {
    ...status({ recording: true, started_at: 1000, started_by: ada }),
    by: null,
    message: null,
  });
  host.push('downstream-recording', {
    ...status(),
    by: null,
    message: 'the disk on the host is full',
  });
  expect(state().change).toBe('Recording stopped. The disk on the host is full.');
  expect(notice()!.text).toBe('Recording stopped. The disk on the host is full.');
});

test('a status that changes nothing (a rejoin, availability) is not news', () => {
  const { host, notice, state } = setup();
  host.push('downstream-recording', { ...status(), by: null, message: null });
  host.push('downstream-recording', {
    ...status({ available: false, unavailable_reason: 'ffmpeg is not installed on the host' }),
    by: null,
    message: null,
  });
  expect(notice()).toBeNull();
  expect(state().status).toMatchObject({ available: false });
});

test('a recording started while we were away is told after the rejoin, with who started it', () => {
  const { client, host, notice } = setup();
  host.push('downstream-recording', { ...status(), by: null, message: null });
  // The connection comes back on a new socket: its first status follows what we knew.
  const again = new HostSocket();
  client.listen(new MessageSocket(again as unknown as WebSocket));
  again.push('downstream-recording', {
    ...status({ recording: true, started_at: 5000, started_by: ada }),
    by: null,
    message: null,
  });
  expect(notice()!.text).toBe('Ada started recording');
  // The old socket is no longer listened to.
  host.push('downstream-recording', { ...status(), by: ada, message: null });
  expect(notice()!.text).toBe('Ada started recording');
});

test('progress pushes keep the admins’ list; losing admin clears it and closes the dialog', () => {
  const { host, state, store } = setup();
  host.push('downstream-recording-progress', summary('a'));
  host.push('downstream-recording-progress', summary('a', { state: 'composing', progress: 0.42 }));
  host.push('downstream-recording-progress', summary('b'));
  expect(Object.keys(state().summaries)).toEqual(['a', 'b']);
  expect(state().summaries.a).toMatchObject({ state: 'composing', progress: 0.42 });
  expect(state().summaries.a).not.toHaveProperty('room_id');

  store.getState().setRecordingDialog('list');
  host.push('downstream-role-changed', { peer_id: 'p-ben', user_id: 'u-b', privilege: 7, by: ada });
  expect(Object.keys(state().summaries)).toHaveLength(2);
  host.push('downstream-role-changed', { peer_id: 'me', user_id: 'u-me', privilege: 7, by: ada });
  expect(state().summaries).toEqual({});
  expect(state().dialog).toBeNull();
});

test('start and stop go to the host as the protocol names them; refusals reject with its words', async () => {
  const { client, host } = setup();
  await client.start();
  expect(host.sent.at(-1)).toMatchObject({
    name: 'meeting.upstream-recording-start',
    payload: { user_id: 'u-me', hub_id: 'hub-1', room_id: 'r' },
  });
  await client.stop();
  expect(host.sent.at(-1)!.name).toBe('meeting.upstream-recording-stop');

  host.refuse = () => ({ reason: 'unavailable', message: 'ffmpeg is not installed on the host' });
  await expect(client.start()).rejects.toMatchObject({
    reason: 'unavailable',
    message: 'ffmpeg is not installed on the host',
  });
  client.detach();
  await expect(client.stop()).rejects.toThrow('not connected');
});

test('the list comes from recording.list with our credential, into the store', async () => {
  const { client, http, state } = setup();
  http.recordings = [summary('new', { started_at: 2 }), summary('old', { started_at: 1 })];
  await expect(client.list()).resolves.toHaveLength(2);
  expect(http.requests.at(-1)).toEqual({
    url: `${ORIGIN}/-/svc/recording.list`,
    auth: 'cred-admin',
  });
  expect(Object.keys(state().summaries).sort()).toEqual(['new', 'old']);

  http.listRefusal = { reason: 'forbidden', message: 'admins only', status: 403 };
  await expect(client.list()).rejects.toMatchObject({ reason: 'forbidden' });
});

describe('downloads', () => {
  const created: Blob[] = [];
  const revoked: string[] = [];
  const clicked: { href: string; download: string; inPage: boolean }[] = [];
  const onClick = (event: MouseEvent) => {
    const anchor = event.target;
    if (!(anchor instanceof HTMLAnchorElement)) return;
    clicked.push({ href: anchor.href, download: anchor.download, inPage: anchor.isConnected });
    // jsdom does not navigate; a browser would save the file.
    event.preventDefault();
  };
  beforeEach(() => {
    created.length = revoked.length = clicked.length = 0;
    URL.createObjectURL = (blob: Blob) => {
      created.push(blob);
      return `blob:${ORIGIN}/${created.length}`;
    };
    URL.revokeObjectURL = (url: string) => void revoked.push(url);
    document.addEventListener('click', onClick);
  });
  afterEach(() => document.removeEventListener('click', onClick));

  test('a download fetches the file with the credential and saves it under the host’s name', async () => {
    const { client, http } = setup();
    http.files.set('2026-03-03T13-00-00Z-ab', { name: 'design-review.mp4', body: 'MP4 bytes' });
    await client.download(
      summary('2026-03-03T13-00-00Z-ab', {
        state: 'composed',
        file: { name: 'recording.mp4', bytes: 9, duration_ms: 1000 },
      }),
    );
    expect(http.requests.at(-1)).toEqual({
      url: `${ORIGIN}/-/recordings/2026-03-03T13-00-00Z-ab/file`,
      auth: 'cred-admin',
    });
    expect(await created[0]!.text()).toBe('MP4 bytes');
    expect(clicked).toEqual([
      { href: `blob:${ORIGIN}/1`, download: 'design-review.mp4', inPage: true },
    ]);
    // The link goes from the page at once, the object URL once the browser has the file.
    expect(document.querySelector('a[download]')).toBeNull();
    await vi.waitFor(() => expect(revoked).toEqual([`blob:${ORIGIN}/1`]));
  });

  test('a file the host does not give is an error in words, and nothing is saved', async () => {
    const member = setup(7, 'cred-member');
    await expect(member.client.download(summary('x'))).rejects.toThrow(
      'only the meeting’s admins can download recordings',
    );
    const admin = setup();
    await expect(admin.client.download(summary('gone'))).rejects.toThrow(
      'the file is no longer on the host',
    );
    expect(clicked).toEqual([]);
    expect(created).toEqual([]);
  });
});

test('Content-Disposition names: quoted, bare, and RFC 5987 encoded', () => {
  expect(fileNameFrom('attachment; filename="recording.mp4"')).toBe('recording.mp4');
  expect(fileNameFrom('attachment; filename=plain.mp4')).toBe('plain.mp4');
  expect(
    fileNameFrom(`attachment; filename="x.mp4"; filename*=UTF-8''R%C3%A9union%20lundi.mp4`),
  ).toBe('Réunion lundi.mp4');
  expect(fileNameFrom('attachment')).toBeNull();
  expect(fileNameFrom(null)).toBeNull();
});

test('the meeting over for us: status, list and dialog go', () => {
  const { client, host, state, store } = setup();
  host.push('downstream-recording', {
    ...status({ recording: true, started_at: 1 }),
    by: null,
    message: null,
  });
  host.push('downstream-recording-progress', summary('a'));
  store.getState().setRecordingDialog('list');
  client.clear();
  expect(state()).toEqual({ status: null, change: null, summaries: {}, dialog: null });
  // A new meeting's first status is where it stands again.
  const again = new HostSocket();
  client.listen(new MessageSocket(again as unknown as WebSocket));
  again.push('downstream-recording', {
    ...status({ recording: true, started_at: 1, started_by: ada }),
    by: null,
    message: null,
  });
  expect(store.getState().moderation.notice).toBeNull();
});
