// Where the grid's rows come from: one row cache per view (a new sort, filter or column set
// starts a new one) and the AG Grid datasource over it. A block that arrives for an older
// view is refused, so the grid never shows rows of a view it has left. Pure: the fetch and
// what to do with a page or an error are arguments. Unit-tested with fakes.

import type { IDatasource, IGetRowsParams } from "ag-grid-community";
import type { RowsResponse, ViewQuery } from "./api-client";
import type { GridRow } from "./grid-columns";
import { createRowCache, type Page, type RowCache } from "./row-cache";

/** The server's rows (columns + data arrays) as grid rows (index + values by column). */
export function toPage(resp: RowsResponse): Page<GridRow> {
  const rows = resp.data.map((values, i) => {
    const record: Record<string, unknown> = Object.create(null);
    resp.columns.forEach((name, j) => (record[name] = values[j]));
    return { index: resp.index[i], position: resp.positions?.[i], values: record };
  });
  return { total: resp.total, rows };
}

export interface RowSourceOptions {
  fetchRows(offset: number, limit: number, query: ViewQuery): Promise<RowsResponse>;
  pageSize: number;
  maxPages: number;
  /** A block of the current view was handed to the grid; `total` is the view's row count. */
  onPage(total: number): void;
  /** A block of the current view failed (the grid was told). */
  onError(err: unknown): void;
}

export interface RowSource {
  /** Starts a new view: a new cache for `query`, seeded with its first page if known. */
  reset(query: ViewQuery, primed: RowsResponse | null): void;
  /** A datasource for the current view; `knownTotal` sizes the grid before the first block. */
  datasource(knownTotal: number | null): IDatasource;
  readonly cache: RowCache<GridRow>;
  /** Whether the engine counted the current view exactly (from the last page it answered). */
  readonly totalExact: boolean;
}

export function createRowSource({ fetchRows, pageSize, maxPages, onPage, onError }: RowSourceOptions): RowSource {
  let cache: RowCache<GridRow> | null = null;
  let generation = 0;
  let totalExact = true;

  function current(): RowCache<GridRow> {
    if (!cache) throw new Error("the row source has no view yet: call reset() first");
    return cache;
  }

  return {
    reset(query, primed) {
      cache = createRowCache<GridRow>({
        fetchPage: (offset, limit) =>
          fetchRows(offset, limit, query).then((resp) => {
            totalExact = resp.total_exact ?? true;
            return toPage(resp);
          }),
        pageSize,
        maxPages,
      });
      if (primed) {
        totalExact = primed.total_exact ?? true;
        cache.prime(0, toPage(primed));
      }
      generation++;
    },
    datasource(knownTotal) {
      return {
        rowCount: knownTotal ?? undefined,
        getRows(params: IGetRowsParams) {
          const mine = generation;
          current().getRange(params.startRow, params.endRow).then(
            (page) => {
              if (mine !== generation) return params.failCallback();
              params.successCallback(page.rows, page.total);
              onPage(page.total);
            },
            (err) => {
              params.failCallback();
              if (mine === generation) onError(err);
            },
          );
        },
      };
    },
    get cache() {
      return current();
    },
    get totalExact() {
      return totalExact;
    },
  };
}
