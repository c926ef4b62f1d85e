import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { openAppClientPage } from '../../testing/browser';
import { startHostProcess } from '../../testing/host-process';
import { childPids, loopbackHostArgs, within } from '../lib';
import type { AppClientPage } from '../../testing/app-client-page';
import { sumInbound } from './inbound';
import { CAMERA, type Participant, type Side } from './side';

declare const appClient: AppClientPage;

/**
 * Roundtable's side of `npm run bench peer`: `npm run host`'s program as its
 * own process (so its CPU and RSS are the host's alone), with `prefix` in
 * front (the benchmark's namespace), and Chromium pages running the web
 * client's own meeting code (testing/app-client-page.ts: MeetingClient and
 * its store, without React) on the host's origin. A join is the app's:
 * camera and microphone opened (720p, the app's three simulcast layers),
 * service calls, access, enter, then everyone there asked for at once while
 * publishing; each video consumer starts on the layer a tile of the grid
 * takes (640 px in the bench's 1280-px-wide page). People already in the
 * room receive a newcomer when the host's peer list shows it.
 */
export async function startRoundtableSide(browser: Browser, prefix: string[]): Promise<Side> {
  const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-peer-host-'));
  // Every participant signs up from loopback: lift the per-address sign-up cap
  // (startHostProcess passes this process's environment on).
  process.env.ROUNDTABLE_SIGNUPS_PER_MINUTE ??= '10000';
  const host = await startHostProcess(loopbackHostArgs(dataDir), prefix);
  const invite = new URL(host.inviteUrl);
  const query = new URLSearchParams(invite.hash.replace(/^#\/join\?/, ''));
  const hubId = query.get('hub')!;
  const inviteSecret = query.get('invite')!;
  const hostPid = host.child.pid!;

  return {
    name: 'Roundtable',
    processes: () => [
      { label: 'host Node', pid: hostPid },
      ...childPids(hostPid).map((pid) => ({ label: 'worker', pid })),
    ],
    async open(round, n): Promise<Participant> {
      const page = await openAppClientPage(browser, invite.origin);
      return {
        page,
        join: () =>
          page.evaluate((join) => appClient.join(join), {
            hubId,
            invite: inviteSecret,
            name: `P${round}-${n}`,
            camera: CAMERA,
          }),
        framesDecoded: () => page.evaluate(() => appClient.framesDecoded()),
        received: () => page.evaluate(() => appClient.reports()).then(sumInbound),
        async leave() {
          await within(
            5000,
            'leaving',
            page.evaluate(() => appClient.leave()),
          ).catch(() => undefined);
          await page.close();
        },
      };
    },
    async stop() {
      host.child.kill('SIGTERM');
      await within(10_000, 'the host stopping', host.exited).catch(() =>
        host.child.kill('SIGKILL'),
      );
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
