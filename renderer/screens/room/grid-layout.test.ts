import { describe, expect, test } from 'vitest';
import { gridLayout, type GridLayout } from './grid-layout';

const GAP = 8;
const ASPECT = 16 / 9;

// Stage boxes the room gives the grid (the window less the control bar and padding).
const BOXES = {
  'laptop 1280×800': { width: 1256, height: 692 },
  'full HD 1920×1080': { width: 1896, height: 972 },
  'phone portrait 390×844': { width: 374, height: 716 },
  'phone landscape 844×390': { width: 828, height: 310 },
};

const layoutOf = (box: { width: number; height: number }, count: number) =>
  gridLayout({ ...box, count, gap: GAP, aspect: ASPECT });

/** Width and height the tiles and gaps take together. */
const used = ({ columns, rows, tileWidth, tileHeight }: GridLayout) => ({
  width: columns * tileWidth + (columns - 1) * GAP,
  height: rows * tileHeight + (rows - 1) * GAP,
});

describe.each(Object.entries(BOXES))('%s', (_, box) => {
  test.each(Array.from({ length: 16 }, (_, i) => i + 1))('%i tiles', (count) => {
    const layout = layoutOf(box, count);
    const { columns, rows, tileWidth, tileHeight } = layout;

    // Every tile has a place, and no row is left empty.
    expect(columns * rows).toBeGreaterThanOrEqual(count);
    expect((rows - 1) * columns).toBeLessThan(count);
    // It fits, tiles keep 16:9 (to the pixel) ...
    expect(used(layout).width).toBeLessThanOrEqual(box.width);
    expect(used(layout).height).toBeLessThanOrEqual(box.height);
    expect(Math.abs(tileWidth / ASPECT - tileHeight)).toBeLessThan(1);
    // ... and it fills the box in one direction (up to rounding to whole pixels).
    const fillsWidth = box.width - used(layout).width <= columns;
    const fillsHeight = box.height - used(layout).height <= 2 * rows;
    expect(fillsWidth || fillsHeight).toBe(true);

    // No other number of columns gives larger tiles.
    for (let other = 1; other <= count; other++) {
      const otherRows = Math.ceil(count / other);
      const width = Math.min(
        (box.width - (other - 1) * GAP) / other,
        ((box.height - (otherRows - 1) * GAP) / otherRows) * ASPECT,
      );
      expect(Math.floor(width)).toBeLessThanOrEqual(tileWidth);
    }
  });

  test('more people never get larger tiles', () => {
    const widths = Array.from({ length: 16 }, (_, i) => layoutOf(box, i + 1).tileWidth);
    expect(widths).toEqual([...widths].sort((a, b) => b - a));
  });
});

test('shapes people expect', () => {
  const shape = (box: keyof typeof BOXES, count: number) => {
    const { columns, rows } = layoutOf(BOXES[box], count);
    return `${columns}×${rows}`;
  };
  // A laptop: one large tile, two side by side, 3 and 4 as 2×2, 5 and 6 as 3×2.
  expect([1, 2, 3, 4, 5, 6, 9, 16].map((n) => shape('laptop 1280×800', n))).toEqual([
    '1×1',
    '2×1',
    '2×2',
    '2×2',
    '3×2',
    '3×2',
    '3×3',
    '4×4',
  ]);
  // A phone held upright stacks people in one column while they fit, then two.
  expect([1, 2, 3, 4, 5, 8].map((n) => shape('phone portrait 390×844', n))).toEqual([
    '1×1',
    '1×2',
    '1×3',
    '1×4',
    '1×5',
    '2×4',
  ]);
  // Held sideways, people sit side by side.
  expect([2, 3, 4, 6].map((n) => shape('phone landscape 844×390', n))).toEqual([
    '2×1',
    '3×1',
    '2×2',
    '3×2',
  ]);
  expect(shape('full HD 1920×1080', 16)).toBe('4×4');
});

test('exact sizes: one person fills the height of a wide box, four on a tall phone fill its width', () => {
  expect(layoutOf(BOXES['full HD 1920×1080'], 1)).toEqual({
    columns: 1,
    rows: 1,
    tileWidth: 1728,
    tileHeight: 972,
  });
  expect(layoutOf({ width: 374, height: 900 }, 4)).toEqual({
    columns: 1,
    rows: 4,
    tileWidth: 374,
    tileHeight: 210,
  });
});

test('nothing to lay out, or no room: no tiles', () => {
  const none = { columns: 0, rows: 0, tileWidth: 0, tileHeight: 0 };
  expect(gridLayout({ width: 800, height: 600, count: 0, gap: GAP, aspect: ASPECT })).toEqual(none);
  expect(gridLayout({ width: 0, height: 600, count: 3, gap: GAP, aspect: ASPECT })).toEqual(none);
  expect(gridLayout({ width: 800, height: -1, count: 3, gap: GAP, aspect: ASPECT })).toEqual(none);
});
