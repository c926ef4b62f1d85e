/**
 * The room's grid arithmetic: how many columns and rows `count` tiles of one
 * aspect ratio take in a `width` × `height` box with `gap` between them, so
 * that the tiles are as large as they can be. Rows are filled from the top;
 * the last row may hold fewer tiles (the stage centres it).
 */

export interface GridInput {
  /** The box the tiles go in, in CSS pixels. */
  width: number;
  height: number;
  count: number;
  /** Space between neighbouring tiles, in CSS pixels. */
  gap: number;
  /** Tile width over height, e.g. 16 / 9. */
  aspect: number;
}

export interface GridLayout {
  columns: number;
  rows: number;
  /** Whole CSS pixels, so `columns` tiles and their gaps never exceed `width`. */
  tileWidth: number;
  tileHeight: number;
}

const EMPTY: GridLayout = { columns: 0, rows: 0, tileWidth: 0, tileHeight: 0 };

export function gridLayout({ width, height, count, gap, aspect }: GridInput): GridLayout {
  if (count < 1 || width <= 0 || height <= 0 || aspect <= 0) return EMPTY;
  let best = EMPTY;
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const widthFromColumns = (width - gap * (columns - 1)) / columns;
    const widthFromRows = ((height - gap * (rows - 1)) / rows) * aspect;
    const tileWidth = Math.floor(Math.min(widthFromColumns, widthFromRows));
    // Ties go to fewer columns: rows stay fuller (3 + 2 rather than 4 + 1).
    if (tileWidth > best.tileWidth) {
      best = { columns, rows, tileWidth, tileHeight: Math.floor(tileWidth / aspect) };
    }
  }
  return best;
}
