// A rectangular cell selection (anchor + focus) and its text for the clipboard. Pure.

import { rawText } from "./format";

export interface CellPos {
  row: number;
  col: string;
}

export interface Selection {
  anchor: CellPos;
  focus: CellPos;
}

export interface Rect {
  top: number;
  bottom: number;
  /** Selected column ids in display order. */
  columns: string[];
}

/** The selection as row bounds and the columns between anchor and focus in `order`. */
export function selectionRect(sel: Selection, order: readonly string[]): Rect {
  const a = order.indexOf(sel.anchor.col);
  const f = order.indexOf(sel.focus.col);
  const lo = Math.min(a, f);
  const hi = Math.max(a, f);
  const columns = a === -1 || f === -1 ? [sel.focus.col] : order.slice(lo, hi + 1);
  return {
    top: Math.min(sel.anchor.row, sel.focus.row),
    bottom: Math.max(sel.anchor.row, sel.focus.row),
    columns,
  };
}

export function inRect(rect: Rect, row: number, col: string): boolean {
  return row >= rect.top && row <= rect.bottom && rect.columns.includes(col);
}

/** Tab-separated text with a header line; tabs and newlines inside values become spaces. */
export function toTsv(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const clean = (s: string) => s.replace(/[\t\r\n]+/g, " ");
  const lines = [headers.map(clean).join("\t")];
  for (const row of rows) lines.push(row.map((v) => clean(rawText(v))).join("\t"));
  return lines.join("\n") + "\n";
}
