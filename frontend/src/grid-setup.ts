// AG Grid for the page: the Community modules the grid uses, its theme, the block sizes and
// the grid's options (infinite row model: the rows come from the app's datasource, sorting
// is the server's). The theme's light or dark mode is set by look.ts (the system's colour
// scheme, or the View menu's choice).

import {
  CellStyleModule,
  ColumnApiModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  RenderApiModule,
  RowApiModule,
  ScrollApiModule,
  createGrid,
  themeQuartz,
  type CellDoubleClickedEvent,
  type CellFocusedEvent,
  type ColDef,
  type GridApi,
  type IDatasource,
} from "ag-grid-community";
import type { GridRow } from "./grid-columns";

ModuleRegistry.registerModules([
  InfiniteRowModelModule,
  CellStyleModule,
  ColumnApiModule,
  RowApiModule,
  RenderApiModule,
  ScrollApiModule,
]);

/** Rows per request and per AG Grid block. */
export const PAGE_SIZE = 100;
/** Pages kept by the row cache and blocks by AG Grid: memory stays bounded while scrolling. */
export const MAX_PAGES = 60;

const theme = themeQuartz.withParams({
  fontSize: 13,
  headerFontSize: 13,
  rowHeight: 28,
  headerHeight: 34,
  spacing: 6,
  wrapperBorderRadius: 0,
  fontFamily: ["system-ui", "-apple-system", "Segoe UI", "sans-serif"],
});

export interface DataGridOptions {
  datasource: IDatasource;
  columnDefs: ColDef<GridRow>[];
  onCellFocused(e: CellFocusedEvent<GridRow>): void;
  /** A cell was double-clicked (the cell editor, issue 15). */
  onCellDoubleClicked?(e: CellDoubleClickedEvent<GridRow>): void;
  /** A column was shown, hidden or pinned, or a drag that moved one has ended. */
  onColumnsChanged(): void;
  /** The user resized columns (issue 16: widths go to the URL). */
  onColumnsResized?(widths: Array<[string, number]>): void;
}

/** Creates the grid in `el`; returns its API. */
export function createDataGrid(el: HTMLElement, { datasource, columnDefs, onCellFocused, onCellDoubleClicked, onColumnsChanged, onColumnsResized }: DataGridOptions): GridApi<GridRow> {
  return createGrid<GridRow>(el, {
    theme,
    rowModelType: "infinite",
    cacheBlockSize: PAGE_SIZE,
    maxBlocksInCache: MAX_PAGES,
    maxConcurrentDatasourceRequests: 2,
    blockLoadDebounceMillis: 15,
    infiniteInitialRowCount: PAGE_SIZE,
    rowBuffer: 10,
    datasource,
    columnDefs,
    defaultColDef: { resizable: true, sortable: false, suppressHeaderMenuButton: true, minWidth: 56 },
    suppressDragLeaveHidesColumns: true,
    animateRows: false,
    onCellFocused,
    onCellDoubleClicked,
    onColumnVisible: () => onColumnsChanged(),
    onColumnPinned: () => onColumnsChanged(),
    onColumnResized: (e) => {
      // Only a drag's end: not the widths the page itself sets.
      if (!e.finished || e.source !== "uiColumnResized" || !e.columns) return;
      onColumnsResized?.(e.columns.map((c) => [c.getColId(), c.getActualWidth()]));
    },
    onColumnMoved: (e) => {
      if (e.finished) onColumnsChanged();
    },
  });
}
