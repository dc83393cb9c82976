// Copying the selected cells (Ctrl+C) as tab-separated text with a header line. Rows already
// loaded are written synchronously inside the key press (the only way that works in a
// cross-origin iframe without the clipboard-write permission); others are fetched first and
// written through the async clipboard. Pure: the rows and the clipboard are arguments.

import { INDEX_COL, type GridRow } from "./grid-columns";
import { toTsv, type Rect } from "./selection";

/** More rows than this are refused: exporting the view is the way to take them. */
export const MAX_COPY_ROWS = 10_000;

/** The rows of `rect` as TSV; the frame's index column is headed "index". */
export function selectionTsv(rect: Rect, rows: readonly GridRow[]): string {
  const headers = rect.columns.map((c) => (c === INDEX_COL ? "index" : c));
  return toTsv(headers, rows.map((r) => rect.columns.map((c) => (c === INDEX_COL ? r.index : r.values[c]))));
}

export interface CopyOptions {
  /** Rows [start, end) if they are loaded, else null. */
  peek(start: number, end: number): GridRow[] | null;
  getRange(start: number, end: number): Promise<{ rows: GridRow[] }>;
  /** Writes the clipboard synchronously; false when the browser refused. */
  writeNow(text: string): boolean;
  /** Writes the clipboard asynchronously; resolves false when the browser refused. */
  writeLater(text: string): Promise<boolean>;
  /** Keeps the copied text where browser tests can read it. */
  remember(text: string): void;
  /** Tells the user how it went. */
  say(text: string): void;
}

/** Copies the cells of `rect`; resolves once the clipboard is written (or refused). */
export async function copyCells(rect: Rect, { peek, getRange, writeNow, writeLater, remember, say }: CopyOptions): Promise<void> {
  const count = rect.bottom - rect.top + 1;
  if (count > MAX_COPY_ROWS) {
    say(`Select at most ${MAX_COPY_ROWS.toLocaleString("en-US")} rows to copy; export the view for more.`);
    return;
  }
  const cached = peek(rect.top, rect.bottom + 1);
  let text: string;
  if (cached) {
    text = selectionTsv(rect, cached);
    remember(text);
    if (!writeNow(text)) await writeLater(text);
  } else {
    const page = await getRange(rect.top, rect.bottom + 1);
    text = selectionTsv(rect, page.rows);
    remember(text);
    const ok = await writeLater(text);
    if (!ok && !writeNow(text)) {
      say("The browser refused the clipboard.");
      return;
    }
  }
  say(`Copied ${count.toLocaleString("en-US")} × ${rect.columns.length} cells`);
}
