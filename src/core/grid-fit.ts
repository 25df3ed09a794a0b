/** How a grid of equal tiles fills a box. */
export interface GridFit {
  columns: number;
  rows: number;
  /** Width of each tile in px (its height follows from the aspect ratio). */
  tileWidth: number;
}

export interface GridFitOptions {
  /** Tile width ÷ height. */
  aspect: number;
  /** Space between tiles, px. */
  gap: number;
  /**
   * Narrowest tile, px: a grid of narrower tiles is never chosen (unless the box itself is
   * narrower); then the tiles stack and the box scrolls instead of shrinking them further.
   */
  minTileWidth?: number;
}

/**
 * The column count that makes `count` tiles of one aspect ratio as large as possible inside a
 * `width` × `height` box: every column count is tried, each limited by the box's width and by
 * its height for the rows it needs.
 */
export function fitGrid(count: number, width: number, height: number, { aspect, gap, minTileWidth = 0 }: GridFitOptions): GridFit {
  const n = Math.max(1, Math.floor(count));
  const floor = Math.min(minTileWidth, width);
  let best: GridFit | null = null;
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    const byWidth = (width - (columns - 1) * gap) / columns;
    if (columns > 1 && byWidth < floor) break;
    const byHeight = ((height - (rows - 1) * gap) / rows) * aspect;
    const tileWidth = Math.max(0, Math.max(floor, Math.min(byWidth, byHeight)));
    // Ties go to fewer columns: the same tile size with fewer empty cells in the last row.
    if (!best || tileWidth > best.tileWidth + 0.5) best = { columns, rows, tileWidth };
  }
  return best!;
}
