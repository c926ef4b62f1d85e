import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { MessageRejectedError } from '../shared/client/message-socket';
import { joinAsGuest } from '../testing/host';
import { meanLuma, meanVolumeDb, probeFile, saveFrame } from '../testing/media-file';
import { enter } from '../testing/room-member';
import { expectAccessible } from './axe';
import {
  expect as baseExpect,
  framesDecoded,
  joinMeeting,
  onHost,
  SCREENSHOT_DIR,
  shoot,
  test,
} from './fixtures';

// Recording as people live it, with three Chromium people (fake camera and
// microphone) on a real host with Debian's ffmpeg: the owner records about
// ten seconds while Ben shares his screen for a while and Cy joins late
// (told before joining); everyone sees that it records; the owner downloads
// the composed MP4, which ffprobe and ffmpeg read back. A member's attempt
// to record is refused by the host.

const expect = baseExpect.configure({ timeout: 20_000 });
/** The recording runs this long (from the start click to the stop click), give or take the clicks. */
const RECORD_MS = 10_000;
/** The composed file's length may differ from the clicks' by this much (the first key frames, the last packets). */
const LENGTH_TOLERANCE_S = 2.5;

const contexts: BrowserContext[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'roundtable-recording-e2e-'));
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
test.afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const hostControls = (page: Page) => page.locator('summary', { hasText: 'Host controls' });
const indicator = (page: Page) => page.getByTestId('recording-indicator');

/** `name` opens `link` in a browser of their own; `beforeJoin` looks at the pre-join screen. */
async function joinWith(
  browser: Browser,
  link: string,
  name: string,
  beforeJoin?: (page: Page) => Promise<void>,
): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return joinMeeting(context, link, name, beforeJoin);
}

test('an owner records three people; everyone is told; the composed file plays with sound and picture', async ({
  browser,
  host,
}) => {
  test.setTimeout(240_000);
  const ada = await joinWith(browser, onHost(host.ownerUrl, host.origin), 'Ada Lovelace');
  const ben = await joinWith(browser, onHost(host.inviteUrl, host.origin), 'Ben Okri');
  await expect.poll(async () => (await framesDecoded(ada)).filter((n) => n > 0).length).toBe(1);
  // A member has no recording control.
  await expect(hostControls(ben)).toHaveCount(0);

  await hostControls(ada).click();
  await shoot(ada, 'recording-menu');
  await ada.getByRole('button', { name: 'Start recording' }).click();
  await shoot(ada, 'recording-confirm');
  await ada.getByRole('dialog').getByRole('button', { name: 'Start recording' }).click();
  const started = Date.now();
  for (const page of [ada, ben]) await expect(indicator(page)).toContainText('Recording');
  await shoot(ben, 'recording-room');
  await expectAccessible(ben, 'a room being recorded');

  // Ben shares his screen for a while: Ada sees it, then he stops.
  await ben.getByRole('button', { name: 'Share screen' }).click();
  await expect.poll(async () => (await framesDecoded(ada)).filter((n) => n > 0).length).toBe(2);
  await ben
    .getByRole('navigation', { name: 'Meeting controls' })
    .getByRole('button', { name: 'Stop sharing' })
    .click();

  // Cy opens the link meanwhile: told before joining, then in the meeting.
  const cy = await joinWith(
    browser,
    onHost(host.inviteUrl, host.origin),
    'Cy Twombly',
    async (page) => {
      await expect(page.getByText('This meeting is being recorded')).toBeVisible();
      await shoot(page, 'recording-prejoin');
    },
  );
  await expect(indicator(cy)).toContainText('Recording');
  await expect.poll(async () => (await framesDecoded(cy)).filter((n) => n > 0).length).toBe(2);

  // About ten seconds of meeting in all: this wait is the recording's length itself.
  await ada.waitForTimeout(Math.max(0, RECORD_MS - (Date.now() - started)));
  await hostControls(ada).click();
  await ada.getByRole('button', { name: 'Stop recording' }).click();
  const recordedS = (Date.now() - started) / 1000;
  for (const page of [ada, ben, cy]) await expect(indicator(page)).not.toContainText('Recording');

  // The owner follows the composition and downloads the file.
  await hostControls(ada).click();
  await ada.getByRole('button', { name: 'Recordings' }).click();
  const dialog = ada.getByRole('dialog', { name: 'Recordings' });
  const download = dialog.getByRole('button', { name: /^Download the recording/ });
  await expect(download).toBeVisible({ timeout: 180_000 });
  await shoot(ada, 'recording-list');
  await expectAccessible(ada, 'the recordings dialog');
  const [file] = await Promise.all([ada.waitForEvent('download'), download.click()]);
  const path = join(scratch, file.suggestedFilename());
  await file.saveAs(path);

  const probed = await probeFile(path);
  expect(probed.formatName).toContain('mp4');
  const video = probed.streams.find((s) => s.codecType === 'video');
  const audio = probed.streams.find((s) => s.codecType === 'audio');
  expect(video?.codecName).toBe('h264');
  expect(audio?.codecName).toBe('aac');
  expect(Math.abs(probed.durationS - recordedS)).toBeLessThan(LENGTH_TOLERANCE_S);
  // Chromium's fake camera is a bright moving pattern, never black; its microphone beeps.
  for (const at of [1, probed.durationS / 2, probed.durationS - 1])
    expect(await meanLuma(path, at)).toBeGreaterThan(20);
  expect(await meanVolumeDb(path)).toBeGreaterThan(-50);
  // What the file looks like halfway, in the screenshots.
  await saveFrame(path, probed.durationS / 2, join(SCREENSHOT_DIR, 'recording-composed-frame.png'));

  // A member sending the message itself is refused by the host.
  const dee = await enter(await joinAsGuest(host, 'Dee'));
  const refused = await dee.socket.request('upstream-recording-start', {}).catch((e) => e);
  expect((refused as MessageRejectedError).reason).toBe('forbidden');
  dee.socket.close();
});
