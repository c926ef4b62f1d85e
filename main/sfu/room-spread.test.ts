import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, openHarnessPage, writeHarnessWebClient } from '../../testing/browser';
import { startTestHost, type TestHost } from '../../testing/host';
import { waitFor } from '../../testing/wait';

// A room that outgrows one worker continues on the next: here one peer per
// router on two workers, so every stream crosses workers through
// pipeToRouter, and everyone still sees everyone.

type Harness = import('../../testing/page-harness').Harness;
declare const harness: Harness;

let host: TestHost;
let browser: Browser;

beforeAll(async () => {
  host = await startTestHost({
    workers: 2,
    peersPerRouter: 1,
    webClientDir: await writeHarnessWebClient(),
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.dispose();
});

async function join(name: string): Promise<{ page: Page; peerId: string; roomId: string }> {
  const page = await openHarnessPage(browser, host.origin);
  const { room } = await page.evaluate(([hubId, invite, n]) => harness.join(hubId, invite, n), [
    host.hub.id,
    host.hub.inviteSecret,
    name,
  ] as const);
  const { peer_id } = await page.evaluate(() => harness.requestAccess());
  await page.evaluate(() => harness.publish());
  await page.evaluate(() => harness.enter());
  return { page, peerId: peer_id, roomId: room.room_id };
}

test('peers on different workers see each other through pipeToRouter; spare routers are released', async () => {
  const people = [await join('Ana'), await join('Bo'), await join('Cai')];
  const room = host.rooms.get(people[0]!.roomId)!;
  // One router per worker; the third person joins the least crowded one.
  expect(room.spread.map((entry) => entry.host.index).sort()).toEqual([0, 1]);
  const workersOf = people.map(({ peerId }) => room.peers.get(peerId)!.placement.host.index);
  expect(workersOf[0]).not.toBe(workersOf[1]);
  expect(workersOf[2]).toBe(workersOf[0]);

  for (const me of people) {
    for (const other of people)
      if (other !== me) await me.page.evaluate((id) => harness.consume(id), other.peerId);
  }
  for (const { page } of people) {
    await waitFor(
      () => page.evaluate(() => harness.framesDecoded()),
      (frames) => Object.values(frames).length === 2 && Object.values(frames).every((n) => n > 3),
      {
        what: 'both remote videos decoding across workers',
      },
    );
  }
  // Microphones on other routers reach the active-speaker observer too.
  await waitFor(
    () =>
      people[0]!.page.evaluate(
        () => new Set(harness.messages('downstream-active-speaker').map((m) => m.peer_id)).size,
      ),
    (speakers) => speakers >= 1,
    { what: 'an active speaker' },
  );

  // Bo leaves: his router goes back to its worker; the others keep receiving each other.
  await people[1]!.page.evaluate(() => harness.leave());
  await waitFor(
    () => room.spread.length,
    (n) => n === 1,
    { what: "Bo's router released" },
  );
  for (const { page } of [people[0]!, people[2]!]) await page.close();
  await people[1]!.page.close();
  await waitFor(
    () => host.rooms.size,
    (n) => n === 0,
    { what: 'room closed' },
  );
  const dumps = await Promise.all(host.pool.workers.map((entry) => entry.worker.dump()));
  expect(dumps.map((dump) => dump.routerIds)).toEqual([[], []]);
  expect(host.pool.workers.map((entry) => entry.routerCount)).toEqual([0, 0]);
});
