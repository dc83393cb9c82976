// The view after a step changed the frame's columns (issue 15): a renamed column keeps its
// place, sort and pin under its new name; a dropped one leaves the view; a new one is shown
// (at the end of a view that lists its columns). Pure, unit-tested.

import type { ViewState } from "./url-state";

export function followSchema(view: ViewState, before: readonly string[], after: readonly string[]): ViewState {
  const renamed = inferRename(before, after);
  const known = new Set(after);
  const rename = (name: string) => (renamed && name === renamed.from ? renamed.to : name);
  const keep = (name: string) => known.has(name);
  const sort = view.sort.map(([c, d]) => [rename(c), d] as [string, typeof d]).filter(([c]) => keep(c));
  const pinned = view.pinned.map(rename).filter(keep);
  let columns = view.columns;
  if (columns) {
    const listed = columns.map(rename).filter(keep);
    const old = new Set(before.map(rename));
    const added = after.filter((n) => !old.has(n) && !listed.includes(n));
    columns = [...listed, ...added];
    // Every column in the frame's order is the default view (null), as the grid writes it.
    if (columns.length === after.length && columns.every((n, i) => n === after[i])) columns = null;
  }
  return { ...view, sort, pinned, columns };
}

/** The rename between two column lists: one name gone and one new at its position (a
 * rename, its undo or its redo); undefined for any other change. */
export function inferRename(before: readonly string[], after: readonly string[]): { from: string; to: string } | undefined {
  if (before.length !== after.length) return undefined;
  const gone = before.filter((n) => !after.includes(n));
  const added = after.filter((n) => !before.includes(n));
  if (gone.length !== 1 || added.length !== 1 || before.indexOf(gone[0]) !== after.indexOf(added[0])) return undefined;
  return { from: gone[0], to: added[0] };
}
