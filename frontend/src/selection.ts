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

/** The selection after a click (or a key-driven focus) on `pos`; `extend` (shift) keeps the anchor. */
export function selectCell(current: Selection | null, pos: CellPos, extend: boolean): Selection {
  return extend && current ? { anchor: current.anchor, focus: pos } : { anchor: pos, focus: pos };
}

/**
 * The selection after an arrow key: the focus moves one cell within the view's `total` rows
 * (null: not known) and the columns of `order` (display order); `extend` (shift) keeps the
 * anchor, otherwise the selection is the new cell. Null for a key that is not an arrow.
 */
export function moveFocus(sel: Selection, key: string, order: readonly string[], total: number | null, extend: boolean): Selection | null {
  let { row } = sel.focus;
  let at = order.indexOf(sel.focus.col);
  if (key === "ArrowUp") row = Math.max(0, row - 1);
  else if (key === "ArrowDown") row = Math.min(Math.max(0, (total ?? row + 1) - 1), row + 1);
  else if (key === "ArrowLeft") at = Math.max(0, at - 1);
  else if (key === "ArrowRight") at = Math.min(order.length - 1, at + 1);
  else return null;
  const col = order[Math.max(0, at)];
  return { anchor: extend ? sel.anchor : { row, col }, focus: { row, col } };
}
