import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { gridLayout } from '../renderer/screens/room/grid-layout';
import { expectAccessible } from './axe';
import {
  expect,
  framesDecoded,
  leaveMeeting,
  remoteVideoBrightness,
  SCREENSHOT_DIR,
  test,
} from './fixtures';

// The room's layout with real people in their own browsers: a grid that
// fills the stage at every size, presenting, pinning from the tile menu by
// keyboard, a share on a phone, leaving with a confirmation, the tab title.

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const PHONE_LANDSCAPE = { width: 844, height: 390 };
const SIZES = { laptop: LAPTOP, phone: PHONE, 'phone landscape': PHONE_LANDSCAPE };

/** A screenshot once every remote camera on `page` shows a picture (a tile that just moved starts black). */
async function shot(page: Page, name: string) {
  await expect
    .poll(async () => Math.min(...(await remoteVideoBrightness(page))), { timeout: 20_000 })
    .toBeGreaterThan(20);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

const controls = (page: Page) => page.getByRole('navigation', { name: 'Meeting controls' });

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * What is wrong with the grid on `page` for `count` tiles: the tiles must be
 * the size the grid arithmetic gives for the grid's box, keep 16:9, fill the
 * rows from the top with the last row centred and no hole, and fill the box
 * across or down. Empty when all is well.
 */
async function gridProblems(page: Page, count: number): Promise<string[]> {
  const { grid, tiles } = await page.evaluate(() => {
    const box = (element: Element) => {
      const { x, y, width, height } = element.getBoundingClientRect();
      return { x, y, width, height };
    };
    const grid = document.querySelector('.grid');
    return {
      grid: grid && box(grid),
      tiles: [...document.querySelectorAll('.grid figure.tile')].map(box),
    };
  });
  if (!grid) return ['no grid'];
  if (tiles.length !== count) return [`${tiles.length} tiles, not ${count}`];
  const gap = 8;
  const layout = gridLayout({
    width: Math.floor(grid.width),
    height: Math.floor(grid.height),
    count,
    gap,
    aspect: 16 / 9,
  });
  const problems: string[] = [];
  const near = (a: number, b: number, within = 1) => Math.abs(a - b) <= within;

  for (const tile of tiles) {
    if (!near(tile.width, layout.tileWidth) || !near(tile.height, layout.tileHeight))
      problems.push(
        `a tile is ${tile.width}×${tile.height}, not ${layout.tileWidth}×${layout.tileHeight}`,
      );
    if (!near(tile.height, (tile.width * 9) / 16, 1))
      problems.push(`a tile is not 16:9: ${tile.width}×${tile.height}`);
  }

  const rows = new Map<number, Box[]>();
  for (const tile of tiles) {
    const key = [...rows.keys()].find((y) => near(y, tile.y)) ?? tile.y;
    rows.set(key, [...(rows.get(key) ?? []), tile]);
  }
  const ordered = [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
  if (ordered.length !== layout.rows) problems.push(`${ordered.length} rows, not ${layout.rows}`);
  ordered.forEach((row, index) => {
    const full = index < ordered.length - 1;
    if (full && row.length !== layout.columns)
      problems.push(`row ${index + 1} has ${row.length} tiles, not ${layout.columns}`);
    const sorted = [...row].sort((a, b) => a.x - b.x);
    for (let i = 1; i < sorted.length; i++) {
      const between = sorted[i]!.x - (sorted[i - 1]!.x + sorted[i - 1]!.width);
      if (!near(between, gap)) problems.push(`a hole of ${between}px in row ${index + 1}`);
    }
    const left = sorted[0]!.x;
    const right = sorted.at(-1)!.x + sorted.at(-1)!.width;
    if (!near((left + right) / 2, grid.x + grid.width / 2, 1.5))
      problems.push(`row ${index + 1} is not centred`);
    if (index > 0) {
      const above = ordered[index - 1]![0]!;
      const between = row[0]!.y - (above.y + above.height);
      if (!near(between, gap)) problems.push(`a gap of ${between}px above row ${index + 1}`);
    }
  });

  const top = Math.min(...tiles.map((tile) => tile.y));
  const bottom = Math.max(...tiles.map((tile) => tile.y + tile.height));
  const left = Math.min(...tiles.map((tile) => tile.x));
  const right = Math.max(...tiles.map((tile) => tile.x + tile.width));
  if (!near((top + bottom) / 2, grid.y + grid.height / 2, 1.5)) problems.push('not centred');
  const fillsAcross = grid.width - (right - left) <= layout.columns + 1;
  const fillsDown = grid.height - (bottom - top) <= 2 * layout.rows + 1;
  if (!fillsAcross && !fillsDown)
    problems.push(`the tiles take ${right - left}×${bottom - top} of ${grid.width}×${grid.height}`);
  return problems;
}

/** The computed background colour of `locator`, as [r, g, b]. */
const backgroundOf = (locator: Locator) =>
  locator.evaluate((element) =>
    getComputedStyle(element)
      .backgroundColor.match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map(Number),
  );

/** WCAG contrast ratio of two sRGB colours. */
function contrast(a: number[], b: number[]): number {
  const luminance = (rgb: number[]) => {
    const [r, g, bl] = rgb.map((value) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/** The page is no wider than the window (nothing sticks out sideways). */
const pageWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

async function expectControlsOnScreen(page: Page, names: string[]) {
  for (const name of names) {
    await expect(controls(page).getByRole('button', { name })).toBeInViewport({
      ratio: 1,
    });
  }
}

test('the grid fills the stage for 3 and 5 people at every size, with no holes and 16:9 tiles', async ({
  joinAs,
}) => {
  const ada = await joinAs('Ada Lovelace');
  const ben = await joinAs('Ben Okri');
  const cy = await joinAs('Cy Twombly');
  await expect(ada).toHaveTitle('Roundtable — 3 people');
  await expect(ada.getByRole('heading', { level: 1 })).toHaveText(/^Roundtable meeting.*3 people$/);
  await expect
    .poll(async () => (await framesDecoded(ada)).filter((n) => n > 0).length, { timeout: 20_000 })
    .toBe(2);

  for (const [label, size] of Object.entries(SIZES)) {
    await ada.setViewportSize(size);
    await expect.poll(() => gridProblems(ada, 3), { message: label }).toEqual([]);
    expect(await pageWidth(ada), label).toBeLessThanOrEqual(size.width);
    await expectControlsOnScreen(ada, ['Mute', 'Stop video', 'Leave']);
  }
  // Three on a laptop: two above, one centred below.
  await ada.setViewportSize(LAPTOP);
  await expect(ada.locator('.grid')).toHaveAttribute('data-columns', '2');
  await expect.poll(() => gridProblems(ada, 3)).toEqual([]);
  await shot(ada, 'room-grid');
  await ada.setViewportSize(PHONE);
  await expect(ada.locator('.grid')).toHaveAttribute('data-columns', '1');
  await expect.poll(() => gridProblems(ada, 3)).toEqual([]);
  await shot(ada, 'room-grid-phone');
  await ada.setViewportSize(PHONE_LANDSCAPE);
  await expect.poll(() => gridProblems(ada, 3)).toEqual([]);
  await shot(ada, 'room-grid-phone-landscape');
  // The bar takes little of a phone held sideways.
  const bar = (await controls(ada).boundingBox())!;
  expect(bar.height / PHONE_LANDSCAPE.height).toBeLessThan(0.2);

  await ada.setViewportSize(LAPTOP);
  await expectAccessible(ada, 'room in grid view');

  // Five people with their cameras off (avatars take the same places), so five browsers fit on a small machine.
  for (const page of [ada, ben, cy]) {
    await page.keyboard.press('v');
    await expect(controls(page).getByRole('button', { name: 'Start video' })).toBeVisible();
  }
  for (const name of ['Dee Rees', 'Eve Arnold']) {
    const page = await joinAs(name);
    await page.keyboard.press('v');
  }
  await expect(ada).toHaveTitle('Roundtable — 5 people');
  for (const [label, size] of Object.entries(SIZES)) {
    await ada.setViewportSize(size);
    await expect.poll(() => gridProblems(ada, 5), { message: label }).toEqual([]);
    expect(await pageWidth(ada), label).toBeLessThanOrEqual(size.width);
  }
});

test('presenting: the sharer sees a placeholder with Stop sharing, the others see the share, also on a phone', async ({
  joinAs,
}) => {
  const ada = await joinAs('Ada Lovelace');
  const ben = await joinAs('Ben Okri');
  const cy = await joinAs('Cy Twombly');

  await controls(ben).getByRole('button', { name: 'Share screen' }).click();
  const placeholder = ben.getByTestId('screen-self');
  await expect(placeholder).toContainText('You are presenting');
  // Not their own screen again (an endless mirror): no video in the placeholder.
  await expect(placeholder.locator('video')).toHaveCount(0);
  await expect(placeholder.getByRole('button', { name: 'Stop sharing' })).toBeVisible();
  await expect(controls(ben).getByRole('button', { name: 'Stop sharing' })).toBeVisible();

  for (const page of [ada, cy]) {
    const share = page.locator('.spotlight').getByLabel("Ben Okri's screen");
    await expect(share).toBeVisible({ timeout: 20_000 });
    await expect
      .poll(() => share.evaluate((video: HTMLVideoElement) => video.videoWidth), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
  }
  await shot(ben, 'presenting');
  await expectAccessible(ben, 'room while presenting');

  // The sharer on a phone: the placeholder and its button fit.
  await ben.setViewportSize(PHONE);
  await expect(placeholder.getByRole('button', { name: 'Stop sharing' })).toBeInViewport({
    ratio: 1,
  });
  expect(await pageWidth(ben)).toBeLessThanOrEqual(PHONE.width);
  await shot(ben, 'presenting-phone');

  // Seen on a phone, upright and sideways: the share fits, the controls are on screen.
  const share = ada.locator('.spotlight').getByLabel("Ben Okri's screen");
  for (const [name, size] of [
    ['share-phone', PHONE],
    ['share-phone-landscape', PHONE_LANDSCAPE],
  ] as const) {
    await ada.setViewportSize(size);
    await expect(share).toBeInViewport({ ratio: 1 });
    expect(await pageWidth(ada), name).toBeLessThanOrEqual(size.width);
    await expectControlsOnScreen(ada, ['Mute', 'Stop video', 'Share screen', 'People', 'Leave']);
    await shot(ada, name);
  }
  await ada.setViewportSize(LAPTOP);
  await expectAccessible(ada, 'room with a share');

  // Pinning by keyboard from the tile menus: ourselves, then the share back.
  const selfMenu = ada.getByRole('button', { name: 'Options for Ada Lovelace (you)' });
  await selfMenu.focus();
  await ada.keyboard.press('Enter');
  await expect(ada.getByRole('menuitem', { name: 'Pin', exact: true })).toBeFocused();
  await shot(ada, 'tile-menu');
  await ada.keyboard.press('Enter');
  await expect(ada.locator('.spotlight').getByTestId('tile-self')).toBeVisible();
  await expect(ada.locator('.spotlight').getByRole('img', { name: 'Pinned' })).toBeVisible();
  await expect(ada.locator('.filmstrip').getByLabel("Ben Okri's screen")).toBeVisible();
  await expect(selfMenu).toBeFocused();

  const shareMenu = ada.getByRole('button', { name: "Options for Ben Okri's shared screen" });
  await shareMenu.focus();
  await ada.keyboard.press('ArrowDown');
  await expect(
    ada.getByRole('menu', { name: "Options for Ben Okri's shared screen" }),
  ).toBeVisible();
  await ada.keyboard.press('Escape');
  await expect(ada.getByRole('menu')).toHaveCount(0);
  await expect(shareMenu).toBeFocused();
  await ada.keyboard.press('Enter');
  await ada.keyboard.press('Enter');
  await expect(ada.locator('.spotlight').getByLabel("Ben Okri's screen")).toBeVisible();
  await expect(ada.locator('.filmstrip').getByTestId('tile-self')).toBeVisible();
  await expect(shareMenu).toBeFocused();
  await ada.keyboard.press('Enter');
  await expect(ada.getByRole('menuitem', { name: 'Unpin', exact: true })).toBeFocused();
  await ada.keyboard.press('Escape');

  // Stop sharing from the placeholder: the share goes for everyone.
  await placeholder.getByRole('button', { name: 'Stop sharing' }).click();
  await expect(ben.getByTestId('screen-self')).toHaveCount(0);
  await expect(controls(ben).getByRole('button', { name: 'Share screen' })).toBeVisible();
  for (const page of [ada, cy]) await expect(page.locator('.spotlight')).toHaveCount(0);
});

test('speaker view, pinning a person, and leaving asks first unless Shift is held', async ({
  joinAs,
}) => {
  const ada = await joinAs('Ada Lovelace');
  const ben = await joinAs('Ben Okri');
  await expect(ada).toHaveTitle('Roundtable — 2 people');

  // Speaker view from the control bar: the label says what pressing does, no aria-pressed.
  const speakerView = controls(ada).getByRole('button', { name: 'Speaker view' });
  await expect(speakerView).not.toHaveAttribute('aria-pressed');
  await speakerView.click();
  await expect(ada.locator('.spotlight').getByTestId(/^tile-/)).toContainText('Ben Okri');
  const gridView = controls(ada).getByRole('button', { name: 'Grid view' });
  await expect(gridView).not.toHaveAttribute('aria-pressed');
  await expectAccessible(ada, 'room in speaker view');
  await ada.setViewportSize(LAPTOP);
  // And back to the grid from a tile's menu.
  await ada.getByRole('button', { name: 'Options for Ben Okri' }).click();
  await ada.getByRole('menuitem', { name: 'Grid view' }).click();
  await expect(ada.locator('.spotlight')).toHaveCount(0);
  await expect.poll(() => gridProblems(ada, 2)).toEqual([]);

  // Mute and Stop video are labels that change, without aria-pressed; "off" stands out from "on"
  // and from the bar (3:1 at least, WCAG 1.4.11), and the room passes axe in that state too.
  const mute = controls(ada).getByRole('button', { name: 'Mute', exact: true });
  await expect(mute).not.toHaveAttribute('aria-pressed');
  const on = await backgroundOf(mute);
  await mute.click();
  await controls(ada).getByRole('button', { name: 'Stop video' }).click();
  const unmute = controls(ada).getByRole('button', { name: 'Unmute', exact: true });
  await expect(unmute).not.toHaveAttribute('aria-pressed');
  const off = await backgroundOf(unmute);
  expect(contrast(off, on)).toBeGreaterThanOrEqual(2.5);
  expect(contrast(off, await backgroundOf(controls(ada)))).toBeGreaterThanOrEqual(3);
  await expect(ada.getByTestId('tile-self')).toHaveAttribute('data-muted', 'true');
  await expectAccessible(ada, 'room with microphone and camera off');
  await ada.setViewportSize(LAPTOP);
  await unmute.click();
  await controls(ada).getByRole('button', { name: 'Start video' }).click();

  // Leave asks; Esc stays, with the focus back on Leave.
  const leave = controls(ada).getByRole('button', { name: 'Leave' });
  await leave.click();
  const dialog = ada.getByRole('dialog', { name: 'Leave the meeting?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Leave' })).toBeFocused();
  await shot(ada, 'leave-dialog');
  await expectAccessible(ada, 'leave dialog');
  await shot(ada, 'leave-dialog-phone');
  await ada.setViewportSize(LAPTOP);
  await ada.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(leave).toBeFocused();
  await expect(ada.getByTestId('tile-self')).toBeVisible();

  // Shift+L asks too; Stay stays.
  await ada.keyboard.press('Shift+L');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Stay' }).click();
  await expect(dialog).toBeHidden();
  await expect(ada).toHaveTitle('Roundtable — 2 people');

  // Shift+click leaves at once; the title is the app's again.
  await leave.click({ modifiers: ['Shift'] });
  await expect(ada.getByRole('heading', { name: 'You left the meeting' })).toBeVisible();
  await expect(ada).toHaveTitle('Roundtable');
  await expect(ben).toHaveTitle('Roundtable — 1 person');
  await leaveMeeting(ben);
  await expect(ben).toHaveTitle('Roundtable');
});
