// The view as the server is asked for it: which columns to fetch, the query of a view, the
// view's columns read back from the grid's column state, and what the page's first request
// (sent before the schema is known) means once it answers. Pure, unit-tested.

import type { ColumnState } from "ag-grid-community";
import { ApiError, type RowsResponse, type ViewQuery } from "./api-client";
import { INDEX_COL, ROW_NUMBER_COL } from "./grid-columns";
import type { ViewState } from "./url-state";

/** The columns to fetch (sorted, so their order does not make a new query); null for all. */
export function fetchColumnsOf(view: Pick<ViewState, "columns">, columnCount: number): string[] | null {
  return view.columns && view.columns.length < columnCount ? [...view.columns].sort() : null;
}

/** The query of `view` as the URL gives it, before the frame's columns are known. */
export function queryOf(view: ViewState): ViewQuery {
  return { sort: view.sort, filter: view.filter, columns: view.columns ? [...view.columns].sort() : null };
}

export function sameQuery(a: ViewQuery, b: ViewQuery): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The row count known before the first block: the first page's, or the frame's when unfiltered. */
export function knownTotal(primed: Pick<RowsResponse, "total"> | null, filter: string, frameRows: number): number | null {
  return primed ? primed.total : filter.trim() ? null : frameRows;
}

/**
 * The visible columns and the pinned ones from the grid's column state: pinned first, then the
 * others, in the grid's order; `columns` is null when that is every column in the frame's order.
 */
export function columnsFromState(state: readonly ColumnState[], frameColumns: readonly string[]): { columns: string[] | null; pinned: string[] } {
  const own = state.filter((c) => c.colId !== ROW_NUMBER_COL && c.colId !== INDEX_COL);
  const pinned = own.filter((c) => c.pinned === "left" && !c.hide).map((c) => c.colId);
  const unpinned = own.filter((c) => c.pinned !== "left" && !c.hide).map((c) => c.colId);
  const visible = [...pinned, ...unpinned];
  const isDefault = visible.length === frameColumns.length && visible.every((n, i) => n === frameColumns[i]);
  return { columns: isDefault ? null : visible, pinned };
}

export type Settled<T> = { ok: true; r: T } | { ok: false; e: unknown };

/** A promise that always resolves, to the value or to the error. */
export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (r) => ({ ok: true as const, r }),
    (e: unknown) => ({ ok: false as const, e }),
  );
}

export type FirstPageOutcome =
  /** The rows of the view: they seed its cache. */
  | { kind: "rows"; rows: RowsResponse }
  /** The URL's filter is wrong: show its error and open the view without it. */
  | { kind: "bad-filter"; error: ApiError }
  /** The request failed: show the error. */
  | { kind: "failed"; error: unknown }
  /** Nothing to use: the request was for another view (the URL named unknown columns), or
   * the server refused it (400) with no filter to blame. */
  | { kind: "none" };

/** What the first request means for the view: `fits` when it asked for this view's query. */
export function firstPageOutcome(early: Settled<RowsResponse>, fits: boolean, filter: string): FirstPageOutcome {
  if (!fits) return { kind: "none" };
  if (early.ok) return { kind: "rows", rows: early.r };
  const err = early.e;
  const badRequest = err instanceof ApiError && err.status === 400;
  if (badRequest && filter) return { kind: "bad-filter", error: err };
  if (!badRequest) return { kind: "failed", error: err };
  return { kind: "none" };
}
