import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type WebSocketRoute } from '@playwright/test';
import { startTestHost } from '../testing/host';
import { freezeTree } from '../testing/processes';
import { startHostProcess, type HostProcess } from '../testing/host-process';
import { chromiumLaunchOptions } from './chromium';
import { decodingProducers } from '../testing/app-page';
import { expect, expectFreshMedia, joinMeeting, test, WEB_CLIENT_DIR } from './fixtures';

// Ordinary faults never end a meeting: a media worker killed, the host gone
// and back, a frozen participant. Everyone gets their media back by
// themselves; only an intentional end is shown as one.

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

for (const workers of [1, 2]) {
  test(`a media worker killed mid-meeting (${workers} worker(s)): media comes back to everyone by itself`, async ({
    browser,
  }) => {
    const host = await startTestHost({ webClientDir: WEB_CLIENT_DIR, workers });
    const contexts = await Promise.all([1, 2, 3].map(() => browser.newContext()));
    try {
      const pages = [];
      for (const [i, name] of ['Ada Worker', 'Ben Worker', 'Cy Worker'].entries())
        pages.push(await joinMeeting(contexts[i]!, host, name));
      await expectFreshMedia(pages, 2);
      const before = (await Promise.all(pages.map(decodingProducers))).flat();

      const room = host.rooms.get(host.store.roomIdFor(host.hub.id, 'meeting'))!;
      process.kill(room.host.worker.pid, 'SIGKILL');

      // Nobody clicks anything: every page decodes fresh video from the rebuilt room.
      await expectFreshMedia(pages, 2, before);
      expect(host.pool.workers).toHaveLength(workers);
      for (const page of pages) await expect(page.getByRole('status')).toBeHidden();
    } finally {
      await Promise.all(contexts.map((context) => context.close()));
      await host.dispose();
    }
  });
}

test('the host gone for 45 s and restarted: everyone is back with media by themselves; a host stopped on purpose ends the meeting', async ({
  browser,
}) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-restart-'));
  const port = await freePort();
  const args = [
    ...['--port', String(port), '--data-dir', dataDir, '--workers', '1'],
    ...['--rtc-port', '0', '--announced-ip', '127.0.0.1', '--insecure-http'],
  ];
  let host: HostProcess | undefined = await startHostProcess(args);
  const contexts = await Promise.all([1, 2].map(() => browser.newContext()));
  try {
    const origin = `http://127.0.0.1:${port}`;
    const target = { origin, inviteUrl: host.inviteUrl };
    const pages = [];
    for (const [i, name] of ['Ada Restart', 'Ben Restart'].entries())
      pages.push(await joinMeeting(contexts[i]!, target, name));
    await expectFreshMedia(pages, 1);
    const before = (await Promise.all(pages.map(decodingProducers))).flat();

    // The host vanishes (a crash, a laptop lid): no goodbye.
    host.child.kill('SIGKILL');
    await host.exited;
    host = undefined;
    for (const page of pages)
      await expect(page.getByRole('status')).toContainText('Reconnecting to the host');
    // Longer than any timeout of the client's: it must still be trying.
    await new Promise((resolve) => setTimeout(resolve, 45_000));
    for (const page of pages) {
      await expect(page.getByRole('status')).toContainText('Reconnecting to the host');
      await expect(page.getByRole('status')).not.toContainText('certificate');
    }

    host = await startHostProcess(args);
    await expectFreshMedia(pages, 1, before);
    for (const page of pages) await expect(page.getByRole('status')).toBeHidden();

    // Now the host stops on purpose: people are told, and nobody retries.
    host.child.kill('SIGINT');
    expect(await host.exited).toBe(0);
    host = undefined;
    for (const page of pages)
      await expect(page.getByText('The host ended the meeting')).toBeVisible();
    await expect(pages[0]!.getByRole('status').filter({ hasText: 'Reconnecting' })).toHaveCount(0);
  } finally {
    host?.child.kill('SIGKILL');
    await Promise.all(contexts.map((context) => context.close()));
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a frozen participant leaves the others’ grid, and comes back by itself once thawed', async ({
  browser,
  host,
}) => {
  const server = await chromium.launchServer(chromiumLaunchOptions);
  let frozenBrowser: Browser | undefined;
  const watcherContext = await browser.newContext();
  try {
    const watcher = await joinMeeting(watcherContext, host, 'Wen Watcher');
    frozenBrowser = await chromium.connect(server.wsEndpoint());
    const frozen = await joinMeeting(await frozenBrowser.newContext(), host, 'Fay Frozen');
    const frozenTile = watcher.getByTestId(/^tile-/).filter({ hasText: 'Fay Frozen' });
    await expect(frozenTile).toHaveCount(1);
    await expectFreshMedia([watcher, frozen], 1);

    // The whole browser stops (a laptop that hangs): within the heartbeat and grace period
    // (documented as about 9 s) the others no longer show it.
    const thaw = freezeTree(server.process().pid!);
    try {
      await expect(frozenTile).toHaveCount(0, { timeout: 12_000 });
    } finally {
      thaw();
    }
    // Thawed, it finds its socket gone and comes back by itself.
    await expect(frozenTile).toHaveCount(1, { timeout: 30_000 });
    await expectFreshMedia([watcher], 1);
  } finally {
    await watcherContext.close();
    await frozenBrowser?.close();
    await server.close();
  }
});

test('a participant whose socket drops keeps the same tile for everyone while it comes back', async ({
  browser,
  joinAs,
}) => {
  const watcher = await joinAs('Wes Watcher');
  let socket: { page: WebSocketRoute; server: WebSocketRoute } | undefined;
  const context = await browser.newContext();
  await context.routeWebSocket(/\/-\/ws$/, (page) => {
    socket = { page, server: page.connectToServer() };
  });
  const blip = await joinAs('Bo Blip', context);
  const tile = watcher.getByTestId(/^tile-/).filter({ hasText: 'Bo Blip' });
  await expect(tile).toHaveCount(1);
  const tileId = (await tile.getAttribute('data-testid'))!;
  await expectFreshMedia([watcher, blip], 1);
  // Bo republishes after coming back; Wes does not, so only Wes's view has fresh producers.
  const before = await decodingProducers(watcher);
  // Count every moment the watcher's page does not show that tile.
  await watcher.evaluate((id) => {
    const w = window as unknown as { tileGone: number };
    w.tileGone = 0;
    new MutationObserver(() => {
      if (!document.querySelector(`[data-testid="${id}"]`)) w.tileGone++;
    }).observe(document.body, { childList: true, subtree: true });
  }, tileId);

  await socket!.server.close();
  await socket!.page.close({ code: 1006 });
  await expect(blip.getByRole('status')).toContainText('Reconnecting');
  await expectFreshMedia([watcher], 1, before);
  await expect(blip.getByRole('status')).toBeHidden();
  await expectFreshMedia([blip], 1);
  await expect(watcher.getByTestId(tileId)).toHaveCount(1);
  expect(await watcher.evaluate(() => (window as unknown as { tileGone: number }).tileGone)).toBe(
    0,
  );
});
