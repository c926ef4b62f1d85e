import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { MessageRejectedError } from '../shared/client/message-socket';
import { joinAsGuest } from '../testing/host';
import { meanVolumeDb, probeFile, saturationSamples, saveFrame } from '../testing/media-file';
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
/**
 * The composed file runs from the first packet (after the start click, before
 * the indicator shows: the host announces once what is sent is written) to the
 * stop; this much either side for the stop's trip to the host and the polling.
 */
const LENGTH_SLACK_S = 0.6;
/** Mean saturation above which a frame shows a picture: the background alone is about 2, two fake cameras side by side about 85. */
const PICTURE_SATURATION = 30;

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
  await ada.waitForFunction(
    () =>
      document
        .querySelector('[data-testid="recording-indicator"]')
        ?.textContent?.includes('Recording'),
    undefined,
    { polling: 50 },
  );
  const toldAfterS = (Date.now() - started) / 1000;
  await expect(indicator(ben)).toContainText('Recording');
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
  // Kept with the test's results, to watch when a check below fails.
  await test.info().attach('recording.mp4', { path, contentType: 'video/mp4' });

  const probed = await probeFile(path);
  expect(probed.formatName).toContain('mp4');
  const video = probed.streams.find((s) => s.codecType === 'video');
  const audio = probed.streams.find((s) => s.codecType === 'audio');
  expect(video?.codecName).toBe('h264');
  expect(audio?.codecName).toBe('aac');
  expect(probed.durationS).toBeGreaterThan(recordedS - toldAfterS - LENGTH_SLACK_S);
  expect(probed.durationS).toBeLessThan(recordedS + LENGTH_SLACK_S);
  // From the moment people were told to the end, every half second shows
  // their pictures (before it, a camera's first key frame may still be on its
  // way: a name tile): a moment of only the dark background or name tiles, or
  // a share's place left empty, is far less saturated than Chromium's green
  // fake camera. Its microphone beeps.
  const samples = await saturationSamples(path, 2);
  expect(samples.length).toBeGreaterThanOrEqual(Math.floor(probed.durationS * 2));
  for (const { atS, saturation } of samples.filter(
    ({ atS }) => atS >= toldAfterS + 0.5 && atS <= probed.durationS - 0.5,
  ))
    expect(saturation, `the picture's saturation at ${atS} s`).toBeGreaterThan(PICTURE_SATURATION);
  expect(await meanVolumeDb(path)).toBeGreaterThan(-50);
  // What the file looks like halfway, in the screenshots.
  await saveFrame(path, probed.durationS / 2, join(SCREENSHOT_DIR, 'recording-composed-frame.png'));

  // A member sending the message itself is refused by the host.
  const dee = await enter(await joinAsGuest(host, 'Dee'));
  const refused = await dee.socket.request('upstream-recording-start', {}).catch((e) => e);
  expect((refused as MessageRejectedError).reason).toBe('forbidden');
  dee.socket.close();
});
