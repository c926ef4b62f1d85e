import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { build } from 'esbuild';
import { startHostProcess } from '../../testing/host-process';
import { childPids, loopbackHostArgs, within } from '../lib';
import { sumInbound } from './inbound';
import { CAMERA, type Participant, type Side, SIMULCAST, SUBSCRIBED_LAYER } from './side';

type Harness = import('../../testing/page-harness').Harness;
declare const harness: Harness;

/**
 * Roundtable's side of `npm run bench peer`: `npm run host`'s program as its
 * own process (so its CPU and RSS are the host's alone), with `prefix` in
 * front (the benchmark's namespace), and Chromium pages running
 * testing/page-harness.ts, the scripted client join-time uses, on the
 * host's origin. A join is the app's order: service calls, access, publish
 * (720p, the app's three simulcast layers), enter, then every peer there at
 * once, each video consumer on the 640-px layer before it is resumed.
 * People already in the room receive a newcomer when the host's peer list
 * shows it, as the app does.
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
  const script = await bundleHarness();
  const hostPid = host.child.pid!;
  /** Peer ids of the people in the current round, in order. */
  let roomPeers: string[] = [];

  return {
    name: 'Roundtable',
    processes: () => [
      { label: 'host Node', pid: hostPid },
      ...childPids(hostPid).map((pid) => ({ label: 'worker', pid })),
    ],
    async open(round, n): Promise<Participant> {
      if (n === 1) roomPeers = [];
      const page = await browser.newPage();
      // One of the host's own non-page URLs, its document replaced: the origin stays the host's.
      await page.goto(`${invite.origin}/-/bench-peer`);
      await page.setContent('<!doctype html><title>harness</title>');
      await page.addScriptTag({ content: script });
      await page.waitForFunction(() => 'harness' in window);
      return {
        page,
        async join() {
          const { peerId, phases } = await page.evaluate(
            async (join) => {
              const start = performance.now();
              const phases: Record<string, number> = {};
              const mark = (phase: string) =>
                (phases[phase] = Math.round(performance.now() - start));
              await harness.join(join.hubId, join.invite, join.name);
              mark('serviceCalls');
              const access = await harness.requestAccess();
              mark('accessGranted');
              await harness.publish(join.camera);
              mark('published');
              await harness.enter();
              mark('entered');
              await Promise.all(join.peers.map((id) => harness.consume(id, join.layer)));
              mark('consumed');
              // From now on, receive whoever comes next as soon as the host's peer list shows them.
              const asking = new Set<string>();
              harness.socket.on('downstream-peers-list', ({ peers }) => {
                const consumed = new Set(
                  [...harness.consumers.values()].map((consumer) => consumer.producerId),
                );
                for (const peer of peers) {
                  if (peer.peer_id === harness.peerId || asking.has(peer.peer_id)) continue;
                  if (peer.producers.every((track) => consumed.has(track.producer_id))) continue;
                  asking.add(peer.peer_id);
                  void harness
                    .consume(peer.peer_id, join.layer)
                    .catch(() => undefined)
                    .finally(() => asking.delete(peer.peer_id));
                }
              });
              return { peerId: access.peer_id, phases };
            },
            {
              hubId,
              invite: inviteSecret,
              name: `P${round}-${n}`,
              peers: roomPeers,
              camera: { ...CAMERA, encodings: SIMULCAST },
              layer: SUBSCRIBED_LAYER,
            },
          );
          roomPeers.push(peerId);
          return phases;
        },
        framesDecoded: () => page.evaluate(() => harness.framesDecoded()),
        received: () =>
          page
            .evaluate(async () => {
              const reports: Record<string, unknown>[] = [];
              (await harness.recvTransport.getStats()).forEach((report: Record<string, unknown>) =>
                reports.push(report),
              );
              return reports;
            })
            .then(sumInbound),
        async leave() {
          await within(
            5000,
            'leaving',
            page.evaluate(() => harness.leave()),
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

/** testing/page-harness.ts bundled for the browser (as testing/browser.ts does for its pages). */
async function bundleHarness(): Promise<string> {
  const result = await build({
    stdin: {
      contents: "import './testing/page-harness.ts';",
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
  });
  return result.outputFiles[0]!.text;
}
