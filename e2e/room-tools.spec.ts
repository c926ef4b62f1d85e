import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { expect, LAPTOP, SCREENSHOT_DIR, shoot, test } from './fixtures';

// Chat, raised hands and reactions as the other people in the room see them:
// three (or four) Chromium participants through the real host and the built
// web client.

const chatPanel = (page: Page) => page.getByRole('complementary', { name: 'Chat' });
const messages = (page: Page) => chatPanel(page).getByTestId('chat-message');
const announcer = (page: Page) => page.getByTestId('room-tools-announcer');
const handQueue = (page: Page) => page.getByRole('region', { name: /^Raised hands/ });
const tileOf = (page: Page, name: string) => page.getByTestId(/^tile-/).filter({ hasText: name });

async function say(page: Page, text: string) {
  const input = chatPanel(page).getByLabel('Message everyone');
  await input.fill(text);
  await input.press('Enter');
  await expect(input).toHaveValue('');
}

test('chat reaches everyone with names, times and links; unread, history for a late joiner and after a dropped socket', async ({
  browser,
  joinAs,
}) => {
  const ada = await joinAs('Ada Lovelace');
  const ben = await joinAs('Ben Okri');
  const cy = await joinAs('Cy Twombly');

  await ada.getByRole('button', { name: 'Chat' }).click();
  await expect(chatPanel(ada)).toBeVisible();
  await expect(chatPanel(ada).getByLabel('Message everyone')).toBeFocused();
  await say(ada, 'Agenda for today: https://example.lan/agenda.');
  await say(ada, 'This is <b>not bold</b>');

  // Ben is told by a notification line, which opens the chat.
  const line = ben.getByRole('button', { name: /^Ada Lovelace: / });
  await expect(line).toBeVisible();
  await expect(announcer(ben)).toContainText('Ada Lovelace says: Agenda for today');
  await expect(ben.getByRole('button', { name: 'Chat, 2 unread' })).toBeVisible();
  await ben.screenshot({ path: join(SCREENSHOT_DIR, 'chat-notification.png') });
  await line.click();
  await expect(messages(ben)).toHaveCount(2);
  const first = messages(ben).first();
  await expect(first).toContainText('Ada Lovelace');
  await expect(first.locator('time')).toHaveText(/^\d\d:\d\d$/);
  const link = first.getByRole('link', { name: 'https://example.lan/agenda' });
  await expect(link).toHaveAttribute('href', 'https://example.lan/agenda');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  // Markup is text: shown as typed, nothing made bold.
  await expect(messages(ben).nth(1)).toContainText('This is <b>not bold</b>');
  await expect(messages(ben).nth(1).locator('b')).toHaveCount(0);

  // Cy had the chat closed: two unread, cleared by opening it.
  const cyChat = cy.getByRole('button', { name: 'Chat, 2 unread' });
  await expect(cyChat).toBeVisible();
  await cyChat.click();
  await expect(cy.getByRole('button', { name: 'Chat', exact: true })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  await expect(messages(cy)).toHaveCount(2);
  await expect(messages(cy).first()).toContainText('Ada Lovelace');

  // Ben answers; Ada, with her chat open, has nothing unread.
  await say(ben, 'Thanks Ada, see you there');
  await expect(messages(ada)).toHaveCount(3);
  await expect(messages(ada).last()).toContainText('Ben Okri');
  await expect(ada.getByRole('button', { name: 'Chat', exact: true })).toBeVisible();
  await expect(messages(ada).first()).toContainText('You');

  await expectAccessible(cy, 'room with the chat open');
  await cy.setViewportSize(LAPTOP);
  await shoot(cy, 'chat-panel');

  // Esc closes the chat and gives focus back to its button.
  await chatPanel(cy).getByLabel('Message everyone').press('Escape');
  await expect(chatPanel(cy)).toBeHidden();
  await expect(cy.getByRole('button', { name: 'Chat', exact: true })).toBeFocused();

  // Dee joins late: she sees the history.
  const deeContext = await browser.newContext();
  // Her page keeps its WebSockets at hand, so the test can drop the one in use.
  await deeContext.addInitScript(() => {
    const sockets: WebSocket[] = [];
    Object.assign(window, { testSockets: sockets });
    window.WebSocket = class extends window.WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets.push(this);
      }
    };
  });
  const dee = await joinAs('Dee Late', deeContext);
  await dee.getByRole('button', { name: 'Chat' }).click();
  await expect(messages(dee)).toHaveCount(3);
  await expect(messages(dee).nth(0)).toContainText('Ada Lovelace');
  await expect(messages(dee).nth(2)).toContainText('Thanks Ada');
  await expect(dee.getByRole('button', { name: /unread/ })).toHaveCount(0);

  // Her socket drops and she cannot get back while Ada says something (new sockets go
  // through the test, refused while `refuse` is set); back, she has it once.
  let refuse = true;
  await deeContext.routeWebSocket(/\/-\/ws$/, (ws) => {
    if (refuse) void ws.close({ code: 1006 });
    else ws.connectToServer();
  });
  await dee.evaluate(() =>
    (window as unknown as { testSockets: WebSocket[] }).testSockets.at(-1)!.close(4000, 'test'),
  );
  await expect(dee.getByText('Reconnecting to the host…')).toBeVisible();
  await say(ada, 'Said while Dee was away');
  refuse = false;
  // It comes back by itself (backoff at most 10 s).
  await expect(dee.getByText('Reconnecting to the host…')).toBeHidden({ timeout: 30_000 });
  await expect(messages(dee)).toHaveCount(4);
  await expect(messages(dee).last()).toContainText('Said while Dee was away');
  const ids = await messages(dee).evaluateAll((items) => items.map((item) => item.textContent));
  expect(new Set(ids).size).toBe(4);
  // And what is said after she is back arrives once too.
  await say(ben, 'Welcome back Dee');
  await expect(messages(dee)).toHaveCount(5);
  await expect(messages(dee).last()).toContainText('Welcome back Dee');

  // Too much at once: the host refuses (at most 5 in 10 s), the panel says so, the text stays.
  const input = chatPanel(ada).getByLabel('Message everyone');
  const refused = chatPanel(ada).getByRole('alert');
  // Sent until refused: earlier messages leave the 10 s window meanwhile, so not always the 6th.
  for (let i = 1; i <= 12 && !(await refused.isVisible()); i++) {
    await input.fill(`Burst ${i}`);
    await input.press('Enter');
    await expect
      .poll(async () => (await input.inputValue()) === '' || (await refused.isVisible()))
      .toBe(true);
  }
  await expect(refused).toHaveText(/^Slow down/);
  await expect(input).not.toHaveValue('');
});

/** Mutes or unmutes `page`'s microphone with its shortcut, and sees it done. */
async function mute(page: Page, muted: boolean): Promise<void> {
  await page.keyboard.press('m');
  await expect(page.getByTestId('tile-self')).toHaveAttribute('data-muted', String(muted));
}

test('raised hands form one queue everyone sees, first raised on top; lowering and leaving take a hand down', async ({
  joinAs,
}) => {
  const ada = await joinAs('Ada Lovelace');
  const cy = await joinAs('Cy Twombly');
  // Ben, who takes the pictures, comes last: nobody's arrival is announced to him.
  const ben = await joinAs('Ben Okri');
  const everyone = [ada, ben, cy];
  // Nobody takes the floor: a raised hand goes down by itself once its owner has spoken a
  // few seconds (the fake microphones all beep), which would race the clicks below.
  for (const page of everyone) await mute(page, true);

  await ada.getByRole('button', { name: 'Raise hand' }).click();
  await expect(ada.getByRole('button', { name: 'Lower hand' })).toBeVisible();
  await expect(handQueue(cy).getByRole('listitem')).toHaveText(['Ada Lovelace']);
  await cy.getByRole('button', { name: 'Raise hand' }).click();
  for (const page of everyone) {
    await expect(handQueue(page).getByRole('listitem')).toHaveText([
      /^Ada Lovelace/,
      /^Cy Twombly/,
    ]);
  }
  await expect(handQueue(ada).getByRole('listitem').first()).toHaveText('Ada Lovelace (you)');
  await expect(
    tileOf(ben, 'Ada Lovelace').getByRole('img', { name: 'Hand raised, number 1' }),
  ).toBeVisible();
  await expect(
    tileOf(ben, 'Cy Twombly').getByRole('img', { name: 'Hand raised, number 2' }),
  ).toBeVisible();
  await expect(announcer(ben)).toContainText('Cy Twombly raised their hand.');
  await shoot(ben, 'hands-raised');

  // Ada lowers hers: Cy is first now.
  await ada.getByRole('button', { name: 'Lower hand' }).click();
  for (const page of everyone)
    await expect(handQueue(page).getByRole('listitem')).toHaveText([/^Cy Twombly/]);
  await expect(
    tileOf(ben, 'Cy Twombly').getByRole('img', { name: 'Hand raised, number 1' }),
  ).toBeVisible();
  await expect(tileOf(ben, 'Ada Lovelace').getByRole('img', { name: /Hand raised/ })).toHaveCount(
    0,
  );
  await expect(announcer(ben)).toContainText('Ada Lovelace lowered their hand.');

  // Cy leaves with her hand up: it goes down for the others.
  await cy.close();
  for (const page of [ada, ben]) {
    await expect(handQueue(page)).toBeHidden({ timeout: 20_000 });
    await expect(announcer(page)).toContainText('Cy Twombly left; their hand is down.');
  }
});

test('a raised hand goes down by itself once its owner has been speaking for a while', async ({
  host,
  joinAs,
}) => {
  const ada = await joinAs('Ada Lovelace');
  // Who the host takes for the active speaker (the fake microphones all beep), followed from
  // before the others join; a new page is told only of changes, so the host is asked.
  const room = host.rooms.get(host.store.roomIdFor(host.hub.id, 'meeting'))!;
  let speaker: string | undefined;
  room.on('active-speaker', (peer) => (speaker = peer?.fullname));
  const ben = await joinAs('Ben Okri');
  const cy = await joinAs('Cy Twombly');

  // Only Ben is heard while Cy raises her hand.
  await mute(ada, true);
  await mute(cy, true);
  // The observer picks a new speaker once the fake beeps show one stands out: slow on busy cores.
  await expect.poll(() => speaker, { timeout: 45_000 }).toBe('Ben Okri');
  await cy.getByRole('button', { name: 'Raise hand' }).click();
  await expect(handQueue(ada).getByRole('listitem')).toHaveText(['Cy Twombly']);

  // Then only Cy: she takes the floor, and after a few seconds of it her hand goes down.
  await mute(ben, true);
  await mute(cy, false);
  await expect.poll(() => speaker, { timeout: 45_000 }).toBe('Cy Twombly');
  await expect(tileOf(ada, 'Cy Twombly')).toHaveClass(/speaking/);
  for (const page of [ada, ben, cy]) await expect(handQueue(page)).toBeHidden({ timeout: 15_000 });
  expect(speaker).toBe('Cy Twombly');
  await expect(cy.getByTestId('room-tools-notice')).toHaveText(
    'Your hand was lowered because you spoke.',
  );
  await expect(cy.getByRole('button', { name: 'Raise hand' })).toBeVisible();
  await expect(announcer(ada)).toContainText("Cy Twombly's hand was lowered after they spoke.");
});

test('reactions float over the sender’s tile for everyone; the picker is accessible and closes with Esc', async ({
  joinAs,
}) => {
  const ada = await joinAs('Ada Lovelace');
  const cy = await joinAs('Cy Twombly');
  const ben = await joinAs('Ben Okri');

  const button = ada.getByRole('button', { name: 'Reactions' });
  await button.click();
  const picker = ada.getByRole('group', { name: 'Reactions' });
  await expect(picker.getByRole('button')).toHaveCount(6);
  await expect(picker.getByRole('button', { name: 'React with thumbs up' })).toBeFocused();
  await expectAccessible(ada, 'room with the reactions open');
  await ada.setViewportSize(LAPTOP);
  await ada.keyboard.press('Escape');
  await expect(picker).toBeHidden();
  await expect(button).toBeFocused();

  // Keyboard: open, move along with the arrows, choose.
  await ada.keyboard.press('Enter');
  await ada.keyboard.press('ArrowRight');
  await expect(picker.getByRole('button', { name: 'React with clapping' })).toBeFocused();
  await ada.keyboard.press('Enter');
  await expect(picker).toBeHidden();
  await expect(button).toBeFocused();
  for (const page of [ben, cy])
    await expect(tileOf(page, 'Ada Lovelace').locator('.reaction-float')).toHaveText('👏');
  await expect(ada.getByTestId('tile-self').locator('.reaction-float')).toHaveText('👏');

  // With the mouse, and an outside click closes the picker.
  await button.click();
  await ada.mouse.click(5, 400);
  await expect(picker).toBeHidden();
  await button.click();
  await picker.getByRole('button', { name: 'React with celebration' }).click();
  for (const page of [ben, cy]) {
    await expect(
      tileOf(page, 'Ada Lovelace').locator('.reaction-float', { hasText: '🎉' }),
    ).toBeVisible();
  }
  await ben.screenshot({ path: join(SCREENSHOT_DIR, 'reactions-floating.png') });
  // They go by themselves.
  await expect(tileOf(ben, 'Ada Lovelace').locator('.reaction-float')).toHaveCount(0, {
    timeout: 10_000,
  });
});
