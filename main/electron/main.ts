// The desktop app's main process: a thin shell around the host (hosting.ts)
// and the web client. Its decisions live in small modules tested in Node:
// trust.ts (pinning, permissions, navigation), deep-link.ts, ipc.ts,
// worker-binary.ts.
import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join, normalize, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  Notification,
  desktopCapturer,
  dialog,
  ipcMain,
  net,
  protocol,
  session,
  shell,
} from 'electron';
import { IPC, type FoundMeeting, type ScreenSource } from '../../shared/desktop/bridge';
import { findMeetings } from '../discovery/finder';
import {
  DEFAULT_PEERS_PER_ROUTER,
  DEFAULT_PORT,
  DEFAULT_RTC_PORT,
  type HostConfig,
} from '../host/config';
import { DESKTOP_APP_ORIGIN } from '../host/http-server';
import { createLogger } from '../host/logger';
import { deepLinkFromArgv, parseDeepLink, PROTOCOL } from './deep-link';
import { HostingController } from './hosting';
import { knockNotice } from './knock-notice';
import { registerIpcHandlers } from './ipc';
import { TrustedOrigins } from './trust';
import { resolveWorkerBinary } from './worker-binary';

const RENDERER_DIR = join(import.meta.dirname, '..', 'renderer');
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self' https: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();
app.setAsDefaultProtocolClient(PROTOCOL);

const logDir = join(app.getPath('userData'), 'logs');
mkdirSync(logDir, { recursive: true });
const log = createLogger('info', join(logDir, 'host.log'));
const trust = new TrustedOrigins(DESKTOP_APP_ORIGIN);
const hostDataDir = join(app.getPath('userData'), 'host');
const hosting = new HostingController(
  (): HostConfig => ({
    port: DEFAULT_PORT,
    listenIp: '0.0.0.0',
    dataDir: hostDataDir,
    announcedIps: [],
    workers: 1,
    rtcPort: DEFAULT_RTC_PORT,
    insecureHttp: false,
    workerBin: resolveWorkerBinary({
      env: process.env,
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      platform: process.platform,
    }),
    webClientDir: RENDERER_DIR,
    logLevel: 'info',
    apiToken: process.env.ROUNDTABLE_API_TOKEN || undefined,
    peersPerRouter: DEFAULT_PEERS_PER_ROUTER,
  }),
  log,
  (knock) => {
    if (!Notification.isSupported()) return;
    const notice = new Notification(knockNotice(knock));
    // The room's lobby card answers it: bring the window forward.
    notice.on('click', () => {
      if (window?.isMinimized()) window.restore();
      window?.focus();
    });
    notice.show();
  },
);
let window: BrowserWindow | undefined;

/** Opens an invite (https or roundtable://) in the window, trusting exactly its certificate. */
/** The meetings announced on the network, watched once the app's Home asks and pushed to it on every change. */
let meetings: FoundMeeting[] = [];
let stopFinding: (() => void) | undefined;
function watchMeetings(): FoundMeeting[] {
  stopFinding ??= findMeetings((found) => {
    meetings = found;
    window?.webContents.send(IPC.meetingsChanged, found);
  });
  return meetings;
}

async function openMeeting(url: string, fingerprint: string | null): Promise<void> {
  trust.addHost(new URL(url).origin, fingerprint);
  await window?.loadURL(url);
}

async function openInvite(link: string): Promise<void> {
  const invite = link.startsWith(`${PROTOCOL}://`) ? parseDeepLink(link) : parseHttpsInvite(link);
  if (!invite) throw new Error('not an invite link');
  trust.addHost(invite.origin, invite.fingerprint);
  await window?.loadURL(invite.inviteUrl);
}

function parseHttpsInvite(link: string) {
  const url = new URL(link);
  const fingerprint = new URLSearchParams(url.hash.replace(/^#\/join\??/, '')).get('fp');
  return url.protocol === 'https:' || url.protocol === 'http:'
    ? { inviteUrl: url.href, origin: url.origin, fingerprint }
    : null;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Roundtable',
    // The installers carry build/icon.png too; this gives the window and taskbar the same icon.
    icon: join(app.getAppPath(), 'build', 'icon.png'),
    webPreferences: {
      preload: join(import.meta.dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!trust.isTrusted(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:/.test(url) && !trust.isTrusted(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.on('close', (event) => {
    if (!hosting.info()) return;
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['End the meeting and quit', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: 'You are hosting a meeting.',
      detail: 'Closing Roundtable ends the meeting for everyone in it.',
    });
    if (choice === 1) event.preventDefault();
  });
  void win.loadURL(`${DESKTOP_APP_ORIGIN}/index.html`);
  return win;
}

/** The in-app screen picker: the page chooses among the sources; nothing is shared if it cancels. */
function handleDisplayMedia(): void {
  session.defaultSession.setDisplayMediaRequestHandler(async (request, callback) => {
    const found = await desktopCapturer.getSources({
      types: ['screen', 'window'],
      thumbnailSize: { width: 320, height: 180 },
    });
    const sources: ScreenSource[] = found.map((source) => ({
      id: source.id,
      name: source.name,
      kind: source.id.startsWith('screen') ? 'screen' : 'window',
      thumbnailDataUrl: source.thumbnail.toDataURL(),
    }));
    ipcMain.once(IPC.screenPickerChoose, (_event, sourceId: string | null) => {
      const chosen = found.find((source) => source.id === sourceId);
      // System audio can be captured on Windows only (loopback).
      callback(
        chosen
          ? {
              video: chosen,
              ...(process.platform === 'win32' ? { audio: 'loopback' as const } : {}),
            }
          : {},
      );
    });
    request.frame?.send(IPC.screenPickerOpen, sources);
  });
}

app.on('second-instance', (_event, argv) => {
  const link = deepLinkFromArgv(argv);
  if (link)
    void openInvite(link).catch((error: unknown) => log.warn({ err: error }, 'deep link refused'));
  if (window?.isMinimized()) window.restore();
  window?.focus();
});
app.on('open-url', (event, link) => {
  event.preventDefault();
  void openInvite(link).catch((error: unknown) => log.warn({ err: error }, 'deep link refused'));
});

app.whenReady().then(() => {
  protocol.handle('app', async (request) => {
    const path = normalize(join(RENDERER_DIR, decodeURIComponent(new URL(request.url).pathname)));
    if (relative(RENDERER_DIR, path).startsWith('..') || !existsSync(path))
      return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(path).href);
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CSP);
    return new Response(response.body, { status: response.status, headers });
  });
  session.defaultSession.setCertificateVerifyProc((request, callback) =>
    callback(trust.verifyCertificate(request.hostname, request.certificate.data)),
  );
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(trust.allowsPermission(permission, details.requestingUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, origin) =>
    trust.allowsPermission(permission, origin),
  );
  handleDisplayMedia();
  registerIpcHandlers(ipcMain, {
    hosting: {
      start: async () => {
        const info = await hosting.start();
        trust.addHost(new URL(info.ownerUrl).origin, info.fingerprint);
        await window?.loadURL(info.ownerUrl);
        return info;
      },
      stop: async () => {
        await hosting.stop();
        await window?.loadURL(`${DESKTOP_APP_ORIGIN}/index.html`);
      },
      info: () => hosting.info(),
    },
    trust,
    appOrigin: DESKTOP_APP_ORIGIN,
    openInvite,
    openLogs: async () => shell.showItemInFolder(join(logDir, 'host.log')),
    openRecordingsFolder: async () => {
      const folder = join(hostDataDir, 'recordings');
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const failure = await shell.openPath(folder);
      if (failure) throw new Error(failure);
    },
    watchMeetings,
    openMeeting,
  });
  window = createWindow();
  const link = deepLinkFromArgv(process.argv);
  if (link) void openInvite(link);
});

app.on('window-all-closed', () => {
  stopFinding?.();
  void hosting.stop().finally(() => app.quit());
});
