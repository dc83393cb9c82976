// AG Grid for the page: the Community modules the grid uses, its theme, the block sizes and
// the grid's options (infinite row model: the rows come from the app's datasource, sorting
// is the server's). The theme's light or dark mode follows the system's colour scheme.

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
}

/** Creates the grid in `el`; returns its API. */
export function createDataGrid(el: HTMLElement, { datasource, columnDefs, onCellFocused, onCellDoubleClicked, onColumnsChanged }: DataGridOptions): GridApi<GridRow> {
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
    onColumnMoved: (e) => {
      if (e.finished) onColumnsChanged();
    },
  });
}

/** Sets the theme's mode on `body` from the system's colour scheme, now and when it changes. */
export function followColorScheme(win: Window, body: HTMLElement): void {
  const media = win.matchMedia?.("(prefers-color-scheme: dark)");
  const applyScheme = () => (body.dataset.agThemeMode = media?.matches ? "dark" : "light");
  applyScheme();
  media?.addEventListener?.("change", applyScheme);
}
