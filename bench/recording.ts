import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { RecordingStatus, RecordingSummary } from '../shared/protocol/recording';
import type { AppClientPage } from '../testing/app-client-page';
import { launchChromium, openAppClientPage } from '../testing/browser';
import { startHostProcess } from '../testing/host-process';
import { childPids, cpuSeconds, loopbackHostArgs, pollUntil, round, sleep, within } from './lib';

declare const appClient: AppClientPage;

/*
 * `npm run bench recording [-- --seconds S]`: what recording costs the host.
 * `npm run host`'s program runs as its own process with one worker; four
 * Chromium pages run the web client's meeting code (fake 640×480 camera in
 * the app's three simulcast layers, and the microphone) and receive each
 * other. Once everyone receives everyone and 5 s have passed, the host's CPU
 * (Node, the mediasoup worker, and while recording the ffmpeg processes that
 * write the tracks) is measured for S seconds without recording, then for S
 * seconds while recording (started through the REST API, 3 s after the
 * start so every writer is running). Then the recording stops and the time
 * the host takes to compose it is measured: seconds of composition per
 * minute of meeting. Chromium shares the two cores, so its load is the same
 * in both windows; other work on the machine adds noise to both.
 */

const PEOPLE = 4;

export async function benchRecording(seconds = secondsOption()) {
  const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-bench-recording-'));
  const token = randomBytes(18).toString('base64url');
  process.env.ROUNDTABLE_API_TOKEN = token;
  process.env.ROUNDTABLE_SIGNUPS_PER_MINUTE ??= '10000';
  const host = await startHostProcess(loopbackHostArgs(dataDir));
  const invite = new URL(host.inviteUrl);
  const query = new URLSearchParams(invite.hash.replace(/^#\/join\?/, ''));
  const api = async (method: string, path: string) => {
    const response = await fetch(`${invite.origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  const browser = await launchChromium();
  const hostPid = host.child.pid!;
  try {
    const pages: Page[] = [];
    for (let n = 1; n <= PEOPLE; n++) {
      const page = await openAppClientPage(browser, invite.origin);
      pages.push(page);
      await page.evaluate((join) => appClient.join(join), {
        hubId: query.get('hub')!,
        invite: query.get('invite')!,
        name: `P${n}`,
        camera: { width: 640, height: 480 },
      });
    }
    for (const page of pages)
      await pollUntil(
        async () => {
          const frames = Object.values(await page.evaluate(() => appClient.framesDecoded()));
          return frames.length === PEOPLE - 1 && frames.every((count) => count > 0);
        },
        30_000,
        'everyone receiving everyone',
        50,
      );
    await sleep(5000);
    const plain = await cpuWindow(hostPid, seconds);

    const overview = (await api('GET', '/recordings')) as { meetingRoomId: string };
    await api('POST', `/rooms/${overview.meetingRoomId}/recording`);
    await sleep(3000);
    const recorded = await cpuWindow(hostPid, seconds);
    const stopped = performance.now();
    await api('DELETE', `/rooms/${overview.meetingRoomId}/recording`);
    let summary: RecordingSummary | undefined;
    await pollUntil(
      async () => {
        const { recordings } = (await api('GET', '/recordings')) as {
          recordings: RecordingSummary[];
          status: RecordingStatus;
        };
        summary = recordings[0];
        return summary?.state === 'composed' || summary?.state === 'compose_failed';
      },
      30 * 60_000,
      'the composition',
      500,
    );
    const composeS = (performance.now() - stopped) / 1000;
    const mediaS = (summary?.file?.duration_ms ?? 0) / 1000;
    await Promise.all(
      pages.map((page) =>
        within(
          5000,
          'leaving',
          page.evaluate(() => appClient.leave()),
        ).catch(() => undefined),
      ),
    );
    const total = (share: Record<string, number>) =>
      Object.values(share).reduce((a, b) => a + b, 0);
    return {
      people: PEOPLE,
      windowSeconds: seconds,
      notRecordedCpuPct: pct(plain),
      recordedCpuPct: pct(recorded),
      recordingCostPct: round((total(recorded) - total(plain)) * 100),
      composition: {
        state: summary?.state,
        mediaSeconds: round(mediaS),
        wallSeconds: round(composeS),
        secondsPerMinuteOfMeeting: mediaS ? round((composeS / mediaS) * 60) : null,
        fileMiB: summary?.file ? round(summary.file.bytes / 2 ** 20) : null,
      },
    };
  } finally {
    await browser.close();
    host.child.kill('SIGTERM');
    await within(15_000, 'the host stopping', host.exited).catch(() => host.child.kill('SIGKILL'));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function pct(share: Record<string, number>) {
  return Object.fromEntries(
    Object.entries(share).map(([label, value]) => [label, round(value * 100)]),
  );
}

/** CPU share of one core of the host's processes over `seconds`, by process name (Node, worker, ffmpeg). */
async function cpuWindow(hostPid: number, seconds: number): Promise<Record<string, number>> {
  const processes = () => [
    { label: 'host Node', pid: hostPid },
    ...childPids(hostPid).map((pid) => ({ label: processName(pid), pid })),
  ];
  const before = new Map(processes().map(({ pid }) => [pid, cpuSeconds(pid)]));
  const start = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - start) / 1000;
  const share: Record<string, number> = {};
  for (const { label, pid } of processes()) {
    // A process that started during the window counts from its start.
    const used = cpuSeconds(pid) - (before.get(pid) ?? 0);
    share[label] = (share[label] ?? 0) + used / elapsed;
  }
  return share;
}

function processName(pid: number): string {
  try {
    const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    return name.startsWith('mediasoup') ? 'worker' : name;
  } catch {
    return 'other';
  }
}

function secondsOption(argv = process.argv.slice(2)): number {
  const index = argv.indexOf('--seconds');
  const value = Number(index >= 0 ? argv[index + 1] : (process.env.BENCH_RECORDING_SECONDS ?? 20));
  if (!Number.isInteger(value) || value < 5 || value > 600)
    throw new Error('--seconds must be a whole number from 5 to 600');
  return value;
}
