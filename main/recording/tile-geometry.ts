// Where tiles go inside an area: a grid of 16:9 tiles as large as they can
// be, and a video fitted into its tile with its aspect ratio kept. Pure
// geometry on even pixels (4:2:0 video has chroma per 2x2 block).

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const TILE_ASPECT = 16 / 9;
/** The gap between grid tiles, in pixels. */
export const GRID_GAP = 8;

/** The columns and rows that give `count` 16:9 tiles the most room in `area`; ties go to more columns (two people side by side). */
export function gridShape(
  count: number,
  area: Rect,
): { cols: number; rows: number; tileW: number } {
  let best = { cols: 1, rows: Math.max(1, count), tileW: 0 };
  for (let cols = 1; cols <= Math.max(1, count); cols++) {
    const rows = Math.ceil(count / cols);
    const tileW = Math.min(area.w / cols, (area.h / rows) * TILE_ASPECT);
    if (tileW >= best.tileW) best = { cols, rows, tileW };
  }
  return best;
}

/** Tile boxes for `count` people in `area`, centred; a last row that is not full is centred too. */
export function gridBoxes(count: number, area: Rect, gap = GRID_GAP): Rect[] {
  if (count === 0) return [];
  const { cols, rows, tileW } = gridShape(count, area);
  const tileH = tileW / TILE_ASPECT;
  const top = area.y + (area.h - rows * tileH) / 2;
  const boxes: Rect[] = [];
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / cols);
    const inRow = Math.min(cols, count - row * cols);
    const left = area.x + (area.w - inRow * tileW) / 2;
    const cell = { x: left + (i % cols) * tileW, y: top + row * tileH, w: tileW, h: tileH };
    boxes.push(inset(cell, gap / 2));
  }
  return boxes;
}

/** The largest rectangle of the video's aspect ratio centred in `box` (the whole box when the size is unknown). */
export function fitInside(box: Rect, width?: number, height?: number): Rect {
  if (!width || !height) return box;
  const scale = Math.min(box.w / width, box.h / height);
  const w = Math.max(2, even(width * scale));
  const h = Math.max(2, even(height * scale));
  return { x: box.x + even((box.w - w) / 2), y: box.y + even((box.h - h) / 2), w, h };
}

/** Shrinks a cell by `by` on each side, on even pixels (4:2:0 video has chroma per 2x2 block). */
export function inset(cell: Rect, by: number): Rect {
  const x = even(cell.x + by);
  const y = even(cell.y + by);
  return { x, y, w: even(cell.x + cell.w - by) - x, h: even(cell.y + cell.h - by) - y };
}

export function even(value: number): number {
  return Math.max(0, Math.floor(value / 2) * 2);
}
