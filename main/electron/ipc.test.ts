import { expect, test } from 'vitest';
import { IPC, type HostingInfo } from '../../shared/desktop/bridge';
import { IpcForbiddenError, registerIpcHandlers, type IpcRegistrar } from './ipc';
import { TrustedOrigins } from './trust';

// The handlers run against a recording registrar (ipcMain's shape) and real
// trust decisions; hosting and joining are recorded, not started.

function setup() {
  const handlers = new Map<
    string,
    (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown
  >();
  const ipc: IpcRegistrar = { handle: (channel, handler) => void handlers.set(channel, handler) };
  const calls: string[] = [];
  let hosted: HostingInfo | null = null;
  const trust = new TrustedOrigins('app://roundtable');
  trust.addHost('https://10.0.0.9:8443', null);
  registerIpcHandlers(ipc, {
    hosting: {
      start: async () => {
        calls.push('start');
        hosted = { ownerUrl: 'https://10.0.0.2:8443/#/join?hub=h&invite=o' } as HostingInfo;
        return hosted;
      },
      stop: async () => void calls.push('stop'),
      info: () => hosted,
    },
    trust,
    appOrigin: 'app://roundtable',
    openInvite: async (link) => void calls.push(`open ${link}`),
    openLogs: async () => void calls.push('logs'),
    openRecordingsFolder: async () => void calls.push('recordings'),
    watchMeetings: () => {
      calls.push('watch');
      return [];
    },
    openMeeting: async (url, fingerprint) => void calls.push(`meeting ${url} ${fingerprint}`),
  });
  const call = (channel: string, url: string | null, ...args: unknown[]) =>
    Promise.resolve().then(() =>
      handlers.get(channel)!({ senderFrame: url === null ? null : { url } }, ...args),
    );
  return { call, calls };
}

test('hosting starts from the app’s own page and stops from it or from the hosted meeting', async () => {
  const { call, calls } = setup();
  await expect(call(IPC.hostMeeting, 'https://10.0.0.9:8443/')).rejects.toBeInstanceOf(
    IpcForbiddenError,
  );
  await expect(call(IPC.stopHosting, 'https://10.0.0.2:8443/')).rejects.toBeInstanceOf(
    IpcForbiddenError,
  );
  await call(IPC.hostMeeting, 'app://roundtable/index.html');
  await call(IPC.stopHosting, 'https://10.0.0.2:8443/#/join?x');
  expect(calls).toEqual(['start', 'stop']);
});

test('joining and logs from trusted pages only; the link is checked', async () => {
  const { call, calls } = setup();
  await call(IPC.openInvite, 'https://10.0.0.9:8443/', 'roundtable://join/h?hub=a&invite=b');
  await expect(call(IPC.openInvite, 'https://evil.example/', 'x')).rejects.toBeInstanceOf(
    IpcForbiddenError,
  );
  await expect(call(IPC.openInvite, null, 'x')).rejects.toBeInstanceOf(IpcForbiddenError);
  await expect(call(IPC.openInvite, 'app://roundtable/', 42)).rejects.toBeInstanceOf(TypeError);
  await call(IPC.openLogs, 'app://roundtable/index.html');
  expect(await call(IPC.hostingInfo, 'app://roundtable/index.html')).toBeNull();
  expect(calls).toEqual(['open roundtable://join/h?hub=a&invite=b', 'logs']);
});

test('the network’s meetings are for the app’s own Home; a meeting’s address and fingerprint are checked', async () => {
  const { call, calls } = setup();
  const fp = Array.from({ length: 32 }, () => 'AB').join(':');
  await expect(call(IPC.watchMeetings, 'https://10.0.0.9:8443/')).rejects.toBeInstanceOf(
    IpcForbiddenError,
  );
  expect(await call(IPC.watchMeetings, 'app://roundtable/index.html')).toEqual([]);
  await call(IPC.openMeeting, 'app://roundtable/index.html', 'https://10.0.0.7:8443/', fp);
  await call(IPC.openMeeting, 'app://roundtable/index.html', 'http://10.0.0.8:8080/', null);
  for (const [url, fingerprint] of [
    ['https://10.0.0.7:8443/#/join?hub=x', fp],
    ['javascript:alert(1)', null],
    ['https://10.0.0.7:8443/', 'AB:CD'],
    [42, null],
  ])
    await expect(
      call(IPC.openMeeting, 'app://roundtable/index.html', url, fingerprint),
    ).rejects.toBeInstanceOf(TypeError);
  await expect(
    call(IPC.openMeeting, 'https://10.0.0.9:8443/', 'https://10.0.0.7:8443/', fp),
  ).rejects.toBeInstanceOf(IpcForbiddenError);
  expect(calls).toEqual([
    'watch',
    `meeting https://10.0.0.7:8443/ ${fp}`,
    'meeting http://10.0.0.8:8080/ null',
  ]);
});

test('the recordings folder opens for the hosting app’s own pages and its meeting only', async () => {
  const { call, calls } = setup();
  await call(IPC.openRecordings, 'app://roundtable/index.html');
  // A joined host's page (trusted for joining) may not open folders on this computer.
  await expect(call(IPC.openRecordings, 'https://10.0.0.9:8443/')).rejects.toBeInstanceOf(
    IpcForbiddenError,
  );
  await call(IPC.hostMeeting, 'app://roundtable/index.html');
  await call(IPC.openRecordings, 'https://10.0.0.2:8443/#/join?x');
  expect(calls).toEqual(['recordings', 'start', 'recordings']);
});
