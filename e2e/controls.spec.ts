import type { TestHost } from '../testing/host';
import { expect, test } from './fixtures';

// Layouts and what they ask of the host: a pinned person is shown large and
// sent in the top simulcast layer, filmstrip tiles get the smallest one; a
// microphone switched mid-call keeps its producer (no rejoin).

/** The host's view of `viewer`'s video consumers, by the producing person's name. */
function videoConsumersOf(host: TestHost, viewer: string) {
  const room = host.rooms.get(host.store.roomIdFor(host.hub.id, 'meeting'))!;
  const peers = [...room.peers.values()];
  const byProducer = new Map(
    peers.flatMap((peer) =>
      [...peer.producers.values()].map((p) => [p.id, peer.fullname] as const),
    ),
  );
  const me = peers.find((peer) => peer.fullname === viewer)!;
  return Object.fromEntries(
    [...me.consumers.values()]
      .filter((consumer) => consumer.kind === 'video')
      .map((consumer) => [
        byProducer.get(consumer.producerId),
        { layer: consumer.preferredLayers?.spatialLayer, paused: consumer.paused },
      ]),
  );
}

test('pin and speaker view choose the layout and the simulcast layers', async ({
  host,
  joinAs,
}) => {
  const ada = await joinAs('Ada Pin');
  await joinAs('Ben Pin');
  await joinAs('Cy Pin');
  await expect
    .poll(() => videoConsumersOf(host, 'Ada Pin'))
    .toEqual({
      'Ben Pin': { layer: 1, paused: false },
      'Cy Pin': { layer: 1, paused: false },
    });

  await ada.getByRole('button', { name: 'Options for Ben Pin' }).click();
  await ada.getByRole('menuitem', { name: 'Pin', exact: true }).click();
  await expect(ada.locator('.spotlight')).toContainText('Ben Pin');
  await expect
    .poll(() => videoConsumersOf(host, 'Ada Pin'))
    .toEqual({
      'Ben Pin': { layer: 2, paused: false },
      'Cy Pin': { layer: 0, paused: false },
    });

  // On a narrow window the filmstrip scrolls: the tile out of view is paused at the host.
  await joinAs('Dee Pin');
  await expect.poll(() => videoConsumersOf(host, 'Ada Pin')['Dee Pin']?.layer).toBe(0);
  await ada.setViewportSize({ width: 390, height: 800 });
  await expect.poll(() => videoConsumersOf(host, 'Ada Pin')['Dee Pin']?.paused).toBe(true);
  expect(videoConsumersOf(host, 'Ada Pin')['Ben Pin']?.paused).toBe(false);
  await ada.setViewportSize({ width: 1280, height: 800 });
  await expect.poll(() => videoConsumersOf(host, 'Ada Pin')['Dee Pin']?.paused).toBe(false);

  await ada.getByRole('button', { name: 'Options for Ben Pin' }).click();
  await ada.getByRole('menuitem', { name: 'Unpin' }).click();
  await ada.getByRole('button', { name: 'Speaker view' }).click();
  await expect(ada.locator('.spotlight')).toHaveCount(1);
  await ada.getByRole('button', { name: 'Grid view' }).click();
  await expect(ada.locator('.spotlight')).toHaveCount(0);
});

test('switching the microphone mid-call keeps the same producer', async ({ host, joinAs }) => {
  const page = await joinAs('Switcher');
  const room = () => host.rooms.get(host.store.roomIdFor(host.hub.id, 'meeting'))!;
  const micProducer = () =>
    [
      ...[...room().peers.values()]
        .find((peer) => peer.fullname === 'Switcher')!
        .producers.values(),
    ].find((producer) => producer.appData.source === 'microphone')!;
  const before = micProducer().id;

  await page.getByText('Devices').click();
  const select = page.getByLabel('Microphone', { exact: true });
  const options = await select.locator('option').allTextContents();
  expect(options.length).toBeGreaterThan(1);
  const current = await select.evaluate(
    (element: HTMLSelectElement) => element.selectedOptions[0]?.textContent,
  );
  const other = options.find((label: string) => label !== current)!;
  await select.selectOption({ label: other });
  await expect(select).toHaveValue(
    (await select.locator('option', { hasText: other }).getAttribute('value')) as string,
  );
  expect(micProducer().id).toBe(before);
  await expect
    .poll(async () => (await micProducer().getStats()).reduce((sum, s) => sum + s.byteCount, 0))
    .toBeGreaterThan(0);
});
