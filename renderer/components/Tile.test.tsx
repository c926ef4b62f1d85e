import { fireEvent, render, screen } from '@testing-library/react';
import { expect, test, vi } from 'vitest';
import { initialsOf, Tile } from './Tile';

test('a peer whose connection is coming back keeps the tile, marked "Reconnecting…"', () => {
  const { rerender } = render(
    <Tile name="Ada" muted={false} speaking={false} reconnecting testId="tile-a">
      {null}
    </Tile>,
  );
  expect(screen.getByRole('img', { name: 'Ada is reconnecting' }).textContent).toBe(
    'Reconnecting…',
  );
  expect(screen.getByTestId('tile-a').dataset.reconnecting).toBe('true');
  rerender(
    <Tile name="Ada" muted={false} speaking={false} testId="tile-a">
      {null}
    </Tile>,
  );
  expect(screen.queryByRole('img', { name: 'Ada is reconnecting' })).toBeNull();
});

test('initials take the first letter of the first two words, brackets and all', () => {
  expect(initialsOf('Eve (no devices)')).toBe('EN');
  expect(initialsOf('Ada Lovelace')).toBe('AL');
  expect(initialsOf('ada king lovelace')).toBe('AK');
  expect(initialsOf('  Ben  ')).toBe('B');
  expect(initialsOf('[Cy] "Twombly"')).toBe('CT');
  expect(initialsOf('émile zola')).toBe('ÉZ');
  expect(initialsOf('李小龙')).toBe('李');
  expect(initialsOf('(( ))')).toBe('?');
});

test('the avatar shows the person’s initials, not the caption’s', () => {
  render(
    <Tile name="Ada Lovelace (you)" avatarName="Ada Lovelace" muted speaking={false} testId="t">
      {null}
    </Tile>,
  );
  expect(screen.getByTestId('t').querySelector('.avatar')?.textContent).toBe('AL');
  expect(screen.getByRole('img', { name: 'Ada Lovelace (you) is muted' })).toBeTruthy();
});

test('the tile menu opens from its button by keyboard, moves with arrows and closes with Esc', async () => {
  const pin = vi.fn();
  const speaker = vi.fn();
  render(
    <Tile
      name="Ben"
      muted={false}
      speaking
      testId="tile-b"
      actions={[
        { label: 'Pin', run: pin },
        { label: 'Switch to speaker view', run: speaker },
      ]}
    >
      {null}
    </Tile>,
  );
  expect(screen.getByRole('img', { name: 'Ben is speaking' })).toBeTruthy();
  const button = screen.getByRole('button', { name: 'Options for Ben' });
  expect(button.getAttribute('aria-expanded')).toBe('false');

  button.focus();
  fireEvent.keyDown(button, { key: 'ArrowDown' });
  const items = await screen.findAllByRole('menuitem');
  expect(items.map((item) => item.textContent)).toEqual(['Pin', 'Switch to speaker view']);
  expect(document.activeElement).toBe(items[0]);
  expect(button.getAttribute('aria-expanded')).toBe('true');
  fireEvent.keyDown(items[0]!, { key: 'ArrowDown' });
  expect(document.activeElement).toBe(items[1]);
  fireEvent.keyDown(items[1]!, { key: 'ArrowDown' });
  expect(document.activeElement).toBe(items[0]);

  fireEvent.keyDown(items[0]!, { key: 'Escape' });
  expect(screen.queryByRole('menu')).toBeNull();
  expect(document.activeElement).toBe(button);
  expect(pin).not.toHaveBeenCalled();

  fireEvent.click(button);
  fireEvent.click(await screen.findByRole('menuitem', { name: 'Pin' }));
  expect(pin).toHaveBeenCalledOnce();
  expect(screen.queryByRole('menu')).toBeNull();

  // A press outside closes it.
  fireEvent.click(button);
  await screen.findByRole('menu');
  fireEvent.pointerDown(document.body);
  expect(screen.queryByRole('menu')).toBeNull();
});
