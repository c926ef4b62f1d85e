import { render, screen } from '@testing-library/react';
import { expect, test } from 'vitest';
import { Tile } from './Tile';

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
