import { expect, framesDecoded, test } from './fixtures';
import { onTestLan } from './lan';

// No internet, ever: during a whole meeting over the LAN, every request the
// web client makes goes to the host's own origin, and nothing the host does
// leaves the LAN (its namespace has a default route into a namespace of its
// own where nothing answers: anything sent to the world is counted there).

const setup = onTestLan();

test('a meeting asks nothing of the internet: the pages talk only to the host, the host to nobody outside', async () => {
  const lan = setup.lan();
  const browser = setup.browser();
  const { inviteUrl } = await lan.startHost();
  // The way out comes after the host started, so it is not one of the host's own addresses.
  const sentOutside = lan.catchOutside();
  // The counter counts: one datagram to the world from the host's namespace shows.
  lan.runInHost([
    process.execPath,
    '-e',
    "const s = require('node:dgram').createSocket('udp4'); s.send('x', 53, '192.0.2.1', () => s.close())",
  ]);
  const baseline = sentOutside();
  expect(baseline).toBeGreaterThan(0);
  const origin = new URL(inviteUrl).origin;
  const requested: string[] = [];
  const pages = [];
  for (const name of ['Offline Ada', 'Offline Ben']) {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    context.on('request', (request) => requested.push(request.url()));
    const page = await context.newPage();
    page.on('websocket', (socket) => requested.push(socket.url()));
    await page.goto(inviteUrl);
    await page.getByLabel('Your name').fill(name);
    await page.getByRole('button', { name: 'Join now' }).click();
    await expect(page.getByRole('navigation', { name: 'Meeting controls' })).toBeVisible({
      timeout: 30_000,
    });
    pages.push(page);
  }
  for (const page of pages)
    await expect
      .poll(async () => (await framesDecoded(page)).filter((n) => n > 0).length, {
        timeout: 30_000,
      })
      .toBe(1);
  // The people panel too (presence comes from the host).
  await pages[0]!
    .getByRole('button', { name: /People/ })
    .first()
    .click();
  const elsewhere = requested.filter(
    (url) =>
      !url.startsWith(`${origin}/`) &&
      !url.startsWith(`${origin.replace(/^https/, 'wss')}/`) &&
      !/^(data|blob):/.test(url),
  );
  expect(requested.length).toBeGreaterThan(5);
  expect(elsewhere).toEqual([]);
  expect(sentOutside()).toBe(baseline);
});
