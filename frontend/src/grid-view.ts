// The view the grid shows (sort, filter, visible and pinned columns) and how it changes: a new
// sort or filter starts a new view from the top, while showing, hiding, pinning or moving
// columns keeps the scroll position. Every change updates the row count, the URL and links
// (through `sync`) and the open column panel.

import type { ColDef, GridApi, IDatasource } from "ag-grid-community";
import type { RowsResponse, Schema, ViewQuery } from "./api-client";
import type { CellSelection } from "./cell-selection";
import type { ColumnPanel } from "./column-panel";
import type { FilterBar } from "./filter-bar";
import { createFilterApplier } from "./filter-apply";
import { rowCountText } from "./format";
import { ROW_NUMBER_COL, rowNumberWidth, type GridRow } from "./grid-columns";
import { MAX_PAGES, PAGE_SIZE } from "./grid-setup";
import type { RowCache } from "./row-cache";
import { createRowSource } from "./row-source";
import { followSchema } from "./schema-follow";
import type { StatusLine } from "./status-line";
import type { SortSpec, ViewState } from "./url-state";
import { columnsFromState, fetchColumnsOf, knownTotal } from "./view-query";

export interface GridViewOptions {
  /** The page's view, changed in place. */
  view: ViewState;
  schema: Schema;
  fetchRows(offset: number, limit: number, query: ViewQuery): Promise<RowsResponse>;
  filterBar: FilterBar;
  status: StatusLine;
  panel: Pick<ColumnPanel, "refresh">;
  selection: Pick<CellSelection, "clear">;
  /** Brings the URL, the links and the server's copy of the view up to date. */
  sync(view: ViewState): void;
  /** The grid's rows are not those of the filter in the box (true) or are again (false). */
  markStale(stale: boolean): void;
}

export interface GridView {
  readonly view: ViewState;
  /** The grid, once `open` has built it. */
  readonly grid: GridApi<GridRow> | null;
  /** The current view's row count, when known. */
  readonly total: number | null;
  /** The rows of the current view. */
  readonly cache: RowCache<GridRow>;
  /** Opens the first view, its cache seeded with `primed`, in the grid that `build` makes. */
  open(primed: RowsResponse | null, build: (datasource: IDatasource) => GridApi<GridRow>): GridApi<GridRow>;
  /** A new view (sort or filter changed): new cache, new datasource, back to the top. */
  reset(primed: RowsResponse | null): void;
  setSort(sort: SortSpec): void;
  /** Checks `text` with the server and, if it is good, shows the view it filters. */
  applyFilter(text: string): Promise<void>;
  /** The grid's columns were shown, hidden, pinned or moved: the view follows them. */
  readColumnState(): void;
  /** The filter in the box was refused: the grid shows `lastGood`'s rows (null: it is current). */
  showStale(lastGood: string | null): void;
  /** A step changed the frame (issue 15): the view follows its new columns, the grid shows
   * them (`columnDefs` for the updated view) and reloads its rows, in place when the frame
   * kept its row count (an edit, a conversion) or from the top. */
  refresh(next: Schema, columnDefs: () => ColDef<GridRow>[]): void;
}

export function createGridView({ view, schema: firstSchema, fetchRows, filterBar, status, panel, selection, sync, markStale }: GridViewOptions): GridView {
  let schema = firstSchema;
  let frameColumns = schema.columns.map((c) => c.name);
  let grid: GridApi<GridRow> | null = null;
  let fetchedColumns = fetchColumnsOf(view, frameColumns.length);
  let currentTotal: number | null = null;

  const source = createRowSource({
    fetchRows,
    pageSize: PAGE_SIZE,
    maxPages: MAX_PAGES,
    onPage(total) {
      status.doneSorting();
      setCount(total);
      status.hideError();
    },
    onError(err) {
      status.doneSorting();
      status.showError(err);
    },
  });

  function currentQuery(): ViewQuery {
    return { sort: view.sort, filter: view.filter, columns: fetchedColumns };
  }

  function setCount(total: number | null) {
    currentTotal = total;
    filterBar.setCount(rowCountText(total, schema.rows, view.filter.trim() !== "", source.totalExact, schema.rows_exact ?? true));
    if (total !== null && grid) {
      const width = rowNumberWidth(total);
      const col = grid.getColumn(ROW_NUMBER_COL);
      if (col && col.getActualWidth() < width) grid.setColumnWidths([{ key: ROW_NUMBER_COL, newWidth: width }]);
    }
  }

  function showStale(lastGood: string | null) {
    filterBar.setStale(lastGood);
    markStale(lastGood !== null);
  }

  function reset(primed: RowsResponse | null) {
    fetchedColumns = fetchColumnsOf(view, frameColumns.length);
    source.reset(currentQuery(), primed);
    const known = knownTotal(primed, view.filter, schema.rows);
    setCount(known);
    selection.clear();
    grid?.setGridOption("datasource", source.datasource(known));
    sync(view);
    panel.refresh(view.filter);
  }

  const applyFilter = createFilterApplier<RowsResponse>({
    check: (text) => fetchRows(0, PAGE_SIZE, { sort: view.sort, filter: text, columns: fetchColumnsOf(view, frameColumns.length) }),
    setBusy: (busy) => filterBar.setBusy(busy),
    accept(text, first) {
      filterBar.clearError();
      showStale(null);
      view.filter = text;
      reset(first);
    },
    reject(text, err) {
      // The grid keeps the last good filter's rows: say so, never leave them looking current.
      filterBar.showError(text, err.message, err.position);
      showStale(view.filter);
    },
    fail: (err) => status.showError(err),
  });

  return {
    view,
    get grid() {
      return grid;
    },
    get total() {
      return currentTotal;
    },
    get cache() {
      return source.cache;
    },
    open(primed, build) {
      fetchedColumns = fetchColumnsOf(view, frameColumns.length);
      source.reset(currentQuery(), primed);
      const known = knownTotal(primed, view.filter, schema.rows);
      grid = build(source.datasource(known));
      setCount(known);
      sync(view);
      return grid;
    },
    reset,
    setSort(sort) {
      const rows = currentTotal; // the view's row count before the reset forgets it
      view.sort = sort;
      grid?.refreshHeader();
      reset(null);
      if (sort.length) status.startSorting(rows);
    },
    applyFilter,
    showStale,
    refresh(next, columnDefs) {
      const before = frameColumns;
      const sameRows = next.rows === schema.rows && (next.rows_exact ?? true);
      // Names, kinds and dtypes: a conversion redraws its column (badge, alignment, format).
      const sameColumns = JSON.stringify(schema.columns) === JSON.stringify(next.columns);
      schema = next;
      frameColumns = next.columns.map((c) => c.name);
      Object.assign(view, followSchema(view, before, frameColumns));
      if (!sameColumns && grid) {
        // The columns that stay keep the widths the user gave them.
        const widths = grid.getColumnState().map(({ colId, width }) => ({ colId, width }));
        grid.setGridOption("columnDefs", columnDefs());
        grid.applyColumnState({ state: widths.filter((w) => grid!.getColumn(w.colId)) });
      }
      if (sameRows && sameColumns && grid) {
        // Same shape (an edit, a conversion): new values where the user is looking.
        fetchedColumns = fetchColumnsOf(view, frameColumns.length);
        source.reset(currentQuery(), null);
        grid.purgeInfiniteCache();
        sync(view);
        panel.refresh(view.filter);
      } else {
        reset(null);
      }
    },
    readColumnState() {
      if (!grid) return;
      const { columns, pinned } = columnsFromState(grid.getColumnState(), frameColumns);
      view.columns = columns;
      view.pinned = pinned;
      const wanted = fetchColumnsOf(view, frameColumns.length);
      if (JSON.stringify(wanted) !== JSON.stringify(fetchedColumns)) {
        // The visible set changed: fetch the new columns but keep the scroll position.
        fetchedColumns = wanted;
        source.reset(currentQuery(), null);
        grid.purgeInfiniteCache();
      }
      sync(view);
    },
  };
}
