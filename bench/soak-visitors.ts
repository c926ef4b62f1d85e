import type { Browser, BrowserContext, Page } from '@playwright/test';
import { openHarnessPage } from '../testing/browser';
import { waitFor } from '../testing/wait';
import type { GuestData } from '../shared/protocol/services';
import { within } from './lib';
import type { Departures } from './soak-departures';
import type { SoakHost } from './soak-host-control';
import { LIMITS } from './soak-limits';

type Harness = import('../testing/page-harness').Harness;
declare const harness: Harness;

// The people in the soak, each a Chromium harness page (testing/page-harness.ts)
// with the fake camera and microphone: the steady pair who stay all along, and
// the visitors who join with media, see media flow every way and leave, coming
// back in turn with the guest credential they signed up with.

/**
 * The visitors are this many people coming back in turn, each signing up
 * once: the host takes 20 guest sign-ups a minute from one address, and the
 * app keeps its guest credential between visits. A person is back only after
 * the others' visits, well after the host stops holding a dropped peer.
 */
export const VISITORS = 12;
export const LEAVE_MODES = ['leave', 'page-close', 'socket-close'] as const;
export type LeaveMode = (typeof LEAVE_MODES)[number];

export interface Participant {
  page: Page;
  roomId: string;
  peerId: string;
  producerIds: string[];
  videoId: string;
}

/** Steady A and B in the room with media, each consuming the other. */
export async function joinSteadyPair(
  browser: Browser,
  host: SoakHost,
): Promise<[Participant, Participant]> {
  const steady: Participant[] = [];
  for (const name of ['Steady A', 'Steady B']) {
    const page = await openHarnessPage(browser, host.origin);
    const participant = await joinWithMedia(page, host, name);
    for (const other of steady) await consume(page, other.peerId);
    steady.push(participant);
  }
  const [a, b] = steady as [Participant, Participant];
  await consume(a.page, b.peerId);
  return [a, b];
}

/** Resolves once each steady participant decodes the other's video. */
export async function steadyMediaFlowing([a, b]: [Participant, Participant]): Promise<void> {
  const flowing = async () => {
    const [ofA, ofB] = await Promise.all([framesOf(a.page), framesOf(b.page)]);
    return (ofA[b.videoId] ?? 0) > 0 && (ofB[a.videoId] ?? 0) > 0;
  };
  await waitFor(flowing, Boolean, {
    timeoutMs: LIMITS.mediaFlowMs,
    intervalMs: 100,
    what: 'video between the steady participants',
  });
}

/** Video frames the page decoded so far, by producer id. */
export function framesOf(page: Page): Promise<Record<string, number>> {
  return within(
    LIMITS.steadyCallMs,
    'framesDecoded',
    page.evaluate(() => harness.framesDecoded()),
  );
}

/** The first leaves cleanly, then both pages close: the room closes once both are gone. */
export async function leaveSteady([a, b]: [Participant, Participant]): Promise<void> {
  await within(
    LIMITS.steadyCallMs,
    'leave',
    a.page.evaluate(() => harness.leave()),
  );
  await a.page.close();
  await b.page.close();
}

/**
 * One visit: join with media, media flowing every way, leave by `mode`
 * (noted in `departures`). Returns join-to-media ms (from the join click, the
 * page loaded).
 */
export async function visit({
  visitors,
  host,
  steady,
  n,
  mode,
  departures,
  guests,
}: {
  visitors: BrowserContext;
  host: SoakHost;
  steady: Participant[];
  n: number;
  mode: LeaveMode;
  departures: Departures;
  /** Each returning visitor's guest credential, by identity. */
  guests: Map<number, GuestData>;
}): Promise<number> {
  const page = await visitors.newPage();
  // A stuck call inside the page ends with the page.
  const timer = setTimeout(() => void page.close().catch(() => undefined), LIMITS.cycleMs);
  let visitor: Participant | undefined;
  try {
    // As openHarnessPage (testing/browser.ts) does, in the visitors' context.
    await page.goto(`${host.origin}/`);
    await page.waitForFunction(() => 'harness' in window);
    const started = performance.now();
    const identity = (n - 1) % VISITORS;
    const joined = await joinWithMedia(page, host, `Visitor ${identity + 1}`, guests.get(identity));
    guests.set(identity, joined.guest);
    visitor = joined;
    const { peerId: visitorId, videoId } = visitor;
    // As in a meeting: the newcomer asks for everyone while everyone asks for the newcomer.
    await Promise.all([
      (async () => {
        for (const other of steady) await consume(page, other.peerId);
      })(),
      ...steady.map(({ page: steadyPage }) =>
        within(LIMITS.steadyCallMs, 'consume', consume(steadyPage, visitorId)),
      ),
    ]);
    await waitFor(
      async () => {
        const [own, ...theirs] = await Promise.all(
          [page, ...steady.map((s) => s.page)].map(framesOf),
        );
        return (
          steady.every((s) => (own![s.videoId] ?? 0) > 0) &&
          theirs.every((frames) => (frames[videoId] ?? 0) > 0)
        );
      },
      Boolean,
      { timeoutMs: LIMITS.mediaFlowMs, intervalMs: 50, what: `media of guest ${n}` },
    );
    const joinToMedia = performance.now() - started;

    const at = Date.now();
    if (mode === 'leave') await page.evaluate(() => harness.leave());
    if (mode === 'socket-close') await page.evaluate(() => harness.disconnect());
    await page.close();
    departures.left(visitorId, mode, at);
    return joinToMedia;
  } finally {
    clearTimeout(timer);
    await page.close().catch(() => undefined);
    if (visitor) {
      if (!departures.has(visitor.peerId)) departures.left(visitor.peerId, mode);
      await dropConsumersOf(steady, visitor.producerIds);
    }
  }
}

function consume(page: Page, peerId: string): Promise<unknown> {
  return page.evaluate((id) => harness.consume(id), peerId);
}

/** What a client does when a peer leaves: closes its consumers (their m-lines are reused). */
async function dropConsumersOf(steady: Participant[], producerIds: string[]): Promise<void> {
  await Promise.all(
    steady.map(({ page }) =>
      within(
        LIMITS.steadyCallMs,
        'drop consumers',
        page.evaluate((ids) => {
          for (const [id, consumer] of harness.consumers) {
            if (!ids.includes(consumer.producerId)) continue;
            consumer.close();
            harness.consumers.delete(id);
          }
          harness.pushed.length = 0;
        }, producerIds),
      ),
    ),
  );
}

/**
 * Joins as `name` with the fake camera and microphone, entered. With `guest`,
 * signs in with that guest credential instead of signing up again, as the app
 * does for someone coming back (it keeps the credential).
 */
async function joinWithMedia(
  page: Page,
  host: SoakHost,
  name: string,
  guest?: GuestData,
): Promise<Participant & { guest: GuestData }> {
  const joined = await page.evaluate(
    async ([hubId, invite, fullname, known]) => {
      const services = harness.services;
      const call = services.call.bind(services);
      let issued = known ?? undefined;
      services.call = (async (service, params) => {
        if (service !== 'yp.create_guest') return call(service, params);
        issued ??= (await call('yp.create_guest', params as never)) as GuestData;
        return issued;
      }) as typeof services.call;
      const result = await harness.join(hubId, invite, fullname);
      return { roomId: result.room.room_id, guest: issued! };
    },
    [host.hubId, host.invite, name, guest ?? null] as const,
  );
  const access = await page.evaluate(() => harness.requestAccess());
  const producerIds = await page.evaluate(() => harness.publish());
  await page.evaluate(() => harness.enter());
  const videoId = await page.evaluate(() => harness.producers.get('camera')!.id);
  return { ...joined, page, peerId: access.peer_id, producerIds, videoId };
}
