import type { Page } from '@playwright/test';
import { audioBytes, decodingProducers, videoStats } from '../testing/app-page';
import { openSeedClientPage } from '../testing/browser';
import {
  answerOffer,
  applyAnswer,
  createPublisherOffer,
  plainFramesDecoded,
} from '../testing/plain-peer';
import { startTestHost, type TestHost } from '../testing/host';
import { openRestEvents } from '../testing/rest-events';
import { expect, joinMeeting, test, WEB_CLIENT_DIR } from './fixtures';

// Seed 000 as written: a client built from nothing but RTCPeerConnection and
// the seed's messages (testing/seed-client.ts) in one meeting with people
// using the real web client, and with a REST (seed 002) publisher.

type SeedClient = import('../testing/seed-client').SeedClient;
declare const seedClient: SeedClient;

const API_TOKEN = 'seed-form-token';

test.describe('the seed form', () => {
  let host: TestHost;

  test.beforeEach(async () => {
    host = await startTestHost({ webClientDir: WEB_CLIENT_DIR, apiToken: API_TOKEN });
  });

  test.afterEach(async () => {
    await host.dispose();
  });

  /** A seed client that joined, published the fake devices with `flags` and entered. */
  async function seedJoins(page: Page, name: string, flags: { video: 0 | 1; audio: 0 | 1 }) {
    await page.evaluate(([hubId, invite, fullname]) => seedClient.join(hubId, invite, fullname), [
      host.hub.id,
      host.hub.inviteSecret,
      name,
    ] as const);
    await page.evaluate(() => seedClient.requestAccess());
    const published = await page.evaluate((f) => seedClient.publish(f), flags);
    await page.evaluate(() => seedClient.enter());
    // As the seed says: a downstream-offer for each peer of the list.
    await page.evaluate(() =>
      Promise.all(seedClient.peers.map((peer) => seedClient.receive(peer.peer_id))),
    );
    return published;
  }

  /** Polls until the seed client decodes `videos` videos from each of `peers` and hears each. */
  async function seedReceives(page: Page, peers: number, videos = 1) {
    const read = () => page.evaluate(() => seedClient.stats());
    await expect
      .poll(async () => Object.values(await read()).filter((s) => s.audioBytes > 1000).length, {
        timeout: 30_000,
      })
      .toBe(peers);
    const before = await read();
    await expect
      .poll(
        async () =>
          Object.entries(await read()).filter(
            ([id, s]) =>
              s.frames.length === videos &&
              s.frames.every((n, i) => n > (before[id]?.frames[i] ?? 0) && n > 0),
          ).length,
        { timeout: 30_000 },
      )
      .toBe(peers);
  }

  test('a seed-form client meets two people on the web client: media both ways, mute flags, a screen share', async ({
    browser,
  }) => {
    const alice = await joinMeeting(await browser.newContext(), host, 'Alice Web');
    const bob = await joinMeeting(await browser.newContext(), host, 'Bob Web');
    const seed = await openSeedClientPage(await browser.newContext(), host.origin);
    const published = await seedJoins(seed, 'Sid Seed', { video: 1, audio: 1 });
    const seedCamera = published.find((s) => s.source === 'camera')!.producer_id;
    const seedMic = published.find((s) => s.source === 'microphone')!.producer_id;

    // Both ways: the web clients decode Sid's camera and receive his microphone; he gets theirs.
    for (const page of [alice, bob]) {
      await expect(page.getByTestId(/^tile-/).filter({ hasText: 'Sid Seed' })).toBeVisible();
      await expect.poll(() => decodingProducers(page), { timeout: 30_000 }).toContain(seedCamera);
      await expect
        .poll(async () => (await audioBytes(page))[seedMic] ?? 0, { timeout: 30_000 })
        .toBeGreaterThan(1000);
    }
    await seedReceives(seed, 2);

    // Sid mutes with the seed's flag (a renegotiation of his send connection): the others see it.
    await seed.evaluate(() => seedClient.offer({ video: 1, audio: 0 }));
    for (const page of [alice, bob])
      await expect(page.getByRole('img', { name: 'Sid Seed is muted' })).toBeVisible();
    await seed.evaluate(() => seedClient.offer({ video: 1, audio: 1 }));
    await expect(alice.getByRole('img', { name: 'Sid Seed is muted' })).toHaveCount(0);

    // Alice shares her screen: the seed client renegotiates from the peers list and decodes it too.
    await alice.getByRole('button', { name: 'Share screen' }).click();
    const aliceId = await seed.evaluate(
      () => seedClient.peers.find((p) => p.fullname === 'Alice Web')!.peer_id,
    );
    await expect
      .poll(
        () =>
          seed.evaluate(
            (id) =>
              seedClient.receptions
                .get(id)!
                .streams.map((s) => s.source)
                .sort(),
            aliceId,
          ),
        { timeout: 30_000 },
      )
      .toEqual(expect.arrayContaining(['camera', 'microphone', 'screen']));
    await expect
      .poll(
        async () =>
          (await seed.evaluate(() => seedClient.stats()))[aliceId]!.frames.filter((n) => n > 0)
            .length,
        { timeout: 30_000 },
      )
      .toBe(2);
    // And the seed client's own sending keeps going: the web clients' frames from it still rise.
    const before = (await videoStats(bob))[seedCamera]!.framesDecoded;
    await expect
      .poll(async () => (await videoStats(bob))[seedCamera]!.framesDecoded, { timeout: 20_000 })
      .toBeGreaterThan(before);
  });

  test('a seed-form client, a web client and a REST user all receive each other', async ({
    browser,
  }) => {
    const web = await joinMeeting(await browser.newContext(), host, 'Wanda Web');
    const seed = await openSeedClientPage(await browser.newContext(), host.origin);
    await seed.evaluate(([hubId, invite]) => seedClient.join(hubId, invite, 'Sid Seed'), [
      host.hub.id,
      host.hub.inviteSecret,
    ] as const);
    const roomId = await seed.evaluate(() => seedClient.roomId);
    const api = async (method: string, path: string, body: unknown) => {
      const response = await fetch(`${host.origin}${path}`, {
        method,
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status, `${method} ${path}`).toBe(200);
      return response.json() as Promise<Record<string, unknown>>;
    };
    /** A page of the host's origin holding one plain RTCPeerConnection (`window.pc`). */
    const plainPage = async () => openSeedClientPage(await browser.newContext(), host.origin);

    // A REST user joins and receives Wanda through the offer it is given, then broadcasts.
    const joined = (await api('POST', `/rooms/${roomId}/users/rita`, {
      userInfo: { name: 'Rita Rest' },
    })) as { users: { userId: string; offer?: { type: 'offer'; sdp: string } }[] };
    const wanda = joined.users.find((user) => user.offer)!;
    const fromWanda = await plainPage();
    await api('POST', `/rooms/${roomId}/users/rita/consume`, {
      producerUserId: wanda.userId,
      answer: await answerOffer(fromWanda, wanda.offer!),
    });
    const events = await openRestEvents(host.origin, roomId, API_TOKEN);
    const sender = await plainPage();
    const produced = (await api('POST', `/rooms/${roomId}/users/rita/produce`, {
      offer: await createPublisherOffer(sender),
    })) as { answer: { type: 'answer'; sdp: string } };
    await applyAnswer(sender, produced.answer);

    // The seed client comes in and receives Wanda and Rita.
    await seed.evaluate(() => seedClient.requestAccess());
    const published = await seed.evaluate(() => seedClient.publish({ video: 1, audio: 1 }));
    await seed.evaluate(() => seedClient.enter());
    await seed.evaluate(() =>
      Promise.all(seedClient.peers.map((peer) => seedClient.receive(peer.peer_id))),
    );
    await seedReceives(seed, 2);

    // Wanda decodes Rita and the seed client.
    const seedCamera = published.find((s) => s.source === 'camera')!.producer_id;
    await expect
      .poll(async () => (await decodingProducers(web)).length, { timeout: 30_000 })
      .toBe(2);
    expect(await decodingProducers(web)).toContain(seedCamera);

    // Rita learns of the seed client's broadcast from the event stream and receives it.
    const seedUserId = await seed.evaluate(() => seedClient.userId);
    const broadcast = await events.next('user-published', (data) => data.userId === seedUserId);
    const fromSeed = await plainPage();
    await api('POST', `/rooms/${roomId}/users/rita/consume`, {
      producerUserId: seedUserId,
      answer: await answerOffer(fromSeed, broadcast.offers.rita!),
    });
    for (const page of [fromWanda, fromSeed])
      await expect
        .poll(async () => (await plainFramesDecoded(page))[0] ?? 0, { timeout: 30_000 })
        .toBeGreaterThan(5);
    events.close();
  });
});
