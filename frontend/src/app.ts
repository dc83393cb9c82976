// The grid page: wires the API client, the row cache, the URL state, the filter bar, the
// column menus, panel and picker to one AG Grid (Community, infinite row model).

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
  type CellFocusedEvent,
  type GridApi,
  type IDatasource,
  type IGetRowsParams,
} from "ag-grid-community";
import { ApiError, SUPERSEDED, createApiClient, type ApiClient, type ColumnInfo, type RowsResponse, type Schema, type ViewQuery } from "./api-client";
import { columnChart, viewChart } from "./chart-links";
import { openColumnMenu } from "./column-menu";
import { createColumnPanel } from "./column-panel";
import { openColumnPicker } from "./column-picker";
import type { PageConfig } from "./config";
import { h } from "./dom";
import { combineFilters } from "./filter-builder";
import { createFilterBar } from "./filter-bar";
import { rowCountText } from "./format";
import { buildColumnDefs, INDEX_COL, ROW_NUMBER_COL, rowNumberWidth, type GridRow } from "./grid-columns";
import { createRowCache, type Page, type RowCache } from "./row-cache";
import { inRect, selectionRect, toTsv, type Selection } from "./selection";
import { nextSort, parseViewState, writeViewState, type SortDir, type ViewState } from "./url-state";
import { createViewReporter } from "./view-report";

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
const MAX_PAGES = 60;
const MAX_COPY_ROWS = 10_000;

const theme = themeQuartz.withParams({
  fontSize: 13,
  headerFontSize: 13,
  rowHeight: 28,
  headerHeight: 34,
  spacing: 6,
  wrapperBorderRadius: 0,
  fontFamily: ["system-ui", "-apple-system", "Segoe UI", "sans-serif"],
});

function toPage(resp: RowsResponse): Page<GridRow> {
  const rows = resp.data.map((values, i) => {
    const record: Record<string, unknown> = Object.create(null);
    resp.columns.forEach((name, j) => (record[name] = values[j]));
    return { index: resp.index[i], values: record };
  });
  return { total: resp.total, rows };
}

function explain(err: unknown): string {
  if (!(err instanceof ApiError)) return `Unexpected error: ${(err as Error)?.message ?? err}`;
  if (err.status === 0) return err.message;
  if (err.status === 404) return `${err.message}. The frame may have been killed, or the server restarted: run show() again for a new link.`;
  if (err.status === 401 || err.status === 403) return `${err.message}`;
  return `The server answered ${err.status}: ${err.message}`;
}

export async function startApp(mount: HTMLElement, config: PageConfig, win: Window = window): Promise<void> {
  const api: ApiClient = createApiClient({ fetch: win.fetch.bind(win), root: config.root, key: config.key, frame: config.frameId });

  // What the grid shows goes to the server too, for `inst.view()` in Python (issue 7). A
  // failed report costs the page nothing; the next change sends the view again.
  const reporter = createViewReporter({
    send: (report) => api.reportView(report),
    page: api.clientId, // the page's id, as the admission control knows it
    onError: (err) => console.warn("dtale_lite: could not report the view to the server", err),
  });
  win.addEventListener("pagehide", () => void reporter.flush());

  // Start the first page while the schema loads: both are needed before the first cells.
  const urlView = parseViewState(win.location.search);
  const earlyQuery = queryOf(urlView);
  const early = api.rows(0, PAGE_SIZE, earlyQuery).then(
    (r) => ({ ok: true as const, r }),
    (e: unknown) => ({ ok: false as const, e }),
  );

  // --- layout -----------------------------------------------------------------------------
  const banner = h("div", { className: "dl-banner", "data-testid": "error-banner", role: "alert", hidden: true });
  const filterBar = createFilterBar((text) => void applyFilter(text));
  const exportLinks = (["csv", "tsv", "json", "parquet"] as const).map((format) =>
    h("a", { className: "dl-btn dl-ghost", "data-testid": `export-${format}`, href: "#", download: "", title: `Download the current view as ${format.toUpperCase()}` }, format.toUpperCase()),
  );
  // Links into the chart builder (issue 6), opened in a new tab; they carry the grid's filter.
  const chartLink = h("a", { className: "dl-btn dl-ghost", "data-testid": "chart-view", href: "#", target: "_blank", rel: "noopener", title: "Open the chart builder on the rows of this view" }, "Chart this view");
  const correlationsLink = h("a", { className: "dl-btn dl-ghost", "data-testid": "chart-correlations", href: "#", target: "_blank", rel: "noopener", title: "Correlations of the numeric columns over the rows of this view" }, "Correlations");
  const columnsButton = h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "columns-button", title: "Show, hide and find columns" }, "Columns");
  const title = h("a", { className: "dl-title", href: api.pageUrl("/"), title: "All frames", "data-testid": "frames-link" }, "dtale_lite");
  const frameLabel = h("span", { className: "dl-frame-name", "data-testid": "frame-name" }, config.frameName ?? `frame ${config.frameId}`);
  const toast = h("div", { className: "dl-toast", "data-testid": "toast", hidden: true });
  const gridEl = h("div", { className: "dl-grid", "data-testid": "grid" });
  const panel = createColumnPanel(api, () => {});
  mount.replaceChildren(
    h("div", { className: "dl-app", "data-testid": "app" },
      h("header", { className: "dl-toolbar" }, title, frameLabel, filterBar.form, filterBar.count,
        h("span", { className: "dl-spacer" }),
        h("span", { className: "dl-charts", "data-testid": "charts" }, chartLink, correlationsLink),
        columnsButton,
        h("span", { className: "dl-export", "data-testid": "export" }, h("span", { className: "dl-muted" }, "Export"), ...exportLinks)),
      filterBar.errorBox,
      banner,
      h("main", { className: "dl-main" }, gridEl, panel.el),
      toast),
  );

  function showBanner(err: unknown) {
    // Replaced by a newer request of this page (another sort, say): that one answers.
    if (err instanceof ApiError && err.status === SUPERSEDED) return;
    const retry = h("button", { type: "button", className: "dl-btn", "data-testid": "error-retry" }, "Retry");
    retry.addEventListener("click", () => {
      banner.hidden = true;
      if (grid) resetView(null);
      else win.location.reload();
    });
    banner.replaceChildren(h("span", { "data-testid": "error-message" }, explain(err)), retry);
    banner.hidden = false;
  }

  let toastTimer: number | undefined;
  function say(text: string) {
    toast.textContent = text;
    toast.hidden = false;
    win.clearTimeout(toastTimer);
    toastTimer = win.setTimeout(() => (toast.hidden = true), 2500);
  }

  // --- schema -----------------------------------------------------------------------------
  let schema: Schema;
  try {
    schema = await api.schema();
  } catch (err) {
    showBanner(err);
    filterBar.setCount("");
    return;
  }
  if (schema.engine && schema.engine !== "pandas") {
    // Which engine reads the frame (Polars, DuckDB over files, Dask on a cluster).
    frameLabel.title = `read through ${schema.engine}`;
    frameLabel.append(h("span", { className: "dl-engine", "data-testid": "frame-engine" }, schema.engine));
  }
  const columns = schema.columns;
  const byName = new Map<string, ColumnInfo>(columns.map((c) => [c.name, c]));
  const view: ViewState = parseViewState(win.location.search, new Set(byName.keys()));
  filterBar.setText(view.filter);

  let grid: GridApi<GridRow> | null = null;
  let cache: RowCache<GridRow>;
  let generation = 0;
  let selection: Selection | null = null;
  let fetchedColumns = fetchColumnsOf(view);

  function fetchColumnsOf(v: ViewState): string[] | null {
    return v.columns && v.columns.length < columns.length ? [...v.columns].sort() : null;
  }
  function queryOf(v: ViewState): ViewQuery {
    return { sort: v.sort, filter: v.filter, columns: v.columns ? [...v.columns].sort() : null };
  }
  function currentQuery(): ViewQuery {
    return { sort: view.sort, filter: view.filter, columns: fetchedColumns };
  }

  let currentTotal: number | null = null;
  // Whether the engine counted the current view exactly (from the last page it answered).
  let totalExact = true;
  function setCount(total: number | null) {
    currentTotal = total;
    filterBar.setCount(rowCountText(total, schema.rows, view.filter.trim() !== "", totalExact, schema.rows_exact ?? true));
    if (total !== null && grid) {
      const width = rowNumberWidth(total);
      const col = grid.getColumn(ROW_NUMBER_COL);
      if (col && col.getActualWidth() < width) grid.setColumnWidths([{ key: ROW_NUMBER_COL, newWidth: width }]);
    }
  }

  function syncUrlAndLinks() {
    const search = writeViewState(win.location.search, view);
    try {
      win.history.replaceState(win.history.state, "", `${win.location.pathname}${search}${win.location.hash}`);
    } catch {
      // A sandboxed iframe may refuse; the view still works, only the link does not follow.
    }
    const exportView: ViewQuery = { sort: view.sort, filter: view.filter, columns: view.columns };
    exportLinks.forEach((a) => (a.href = api.exportUrl(a.dataset.testid!.slice(7) as "csv", exportView)));
    chartLink.href = api.chartUrl(viewChart(view.filter));
    correlationsLink.href = api.correlationsUrl(view.filter);
    reporter.report({ filter: view.filter, sort: view.sort, columns: view.columns });
  }

  function newCache(primed: RowsResponse | null) {
    const query = currentQuery();
    cache = createRowCache<GridRow>({
      fetchPage: (offset, limit) =>
        api.rows(offset, limit, query).then((resp) => {
          totalExact = resp.total_exact ?? true;
          return toPage(resp);
        }),
      pageSize: PAGE_SIZE,
      maxPages: MAX_PAGES,
    });
    if (primed) {
      totalExact = primed.total_exact ?? true;
      cache.prime(0, toPage(primed));
    }
    generation++;
  }

  // A new sort of millions of rows takes the server a second or two: say so until the first
  // block of the new view arrives, rather than leaving the old count and blank rows.
  let sorting = false;
  function doneSorting() {
    if (!sorting) return;
    sorting = false;
    filterBar.setBusy(false);
  }

  function datasource(knownTotal: number | null): IDatasource {
    return {
      rowCount: knownTotal ?? undefined,
      getRows(params: IGetRowsParams) {
        const mine = generation;
        cache.getRange(params.startRow, params.endRow).then(
          (page) => {
            if (mine !== generation) return params.failCallback();
            params.successCallback(page.rows, page.total);
            doneSorting();
            setCount(page.total);
            if (!banner.hidden) banner.hidden = true;
          },
          (err) => {
            params.failCallback();
            if (mine === generation) {
              doneSorting();
              showBanner(err);
            }
          },
        );
      },
    };
  }

  /** A new view (sort or filter changed): new cache, new datasource, back to the top. */
  function resetView(primed: RowsResponse | null) {
    fetchedColumns = fetchColumnsOf(view);
    newCache(primed);
    const known = primed ? primed.total : view.filter.trim() ? null : schema.rows;
    setCount(known);
    selection = null;
    paintSelection();
    grid?.setGridOption("datasource", datasource(known));
    syncUrlAndLinks();
    panel.refresh(view.filter);
  }

  // --- sort, filter -----------------------------------------------------------------------
  function setSort(sort: ViewState["sort"]) {
    const rows = currentTotal; // the view's row count before the reset forgets it
    view.sort = sort;
    grid?.refreshHeader();
    resetView(null);
    if (sort.length) {
      sorting = true;
      filterBar.setBusy(true);
      filterBar.setCount(rows === null ? "Sorting…" : `Sorting ${rows.toLocaleString("en-US")} rows…`);
    }
  }

  let filterSeq = 0;
  async function applyFilter(text: string) {
    const seq = ++filterSeq;
    filterBar.setBusy(true);
    const candidate = { ...view, filter: text };
    try {
      // Check the filter with the first page: a wrong one shows its error and keeps the view;
      // a right one's page seeds the new cache (the server caches the mask, so no double work).
      const first = await api.rows(0, PAGE_SIZE, { sort: candidate.sort, filter: text, columns: fetchColumnsOf(candidate) });
      if (seq !== filterSeq) return;
      filterBar.clearError();
      view.filter = text;
      resetView(first);
    } catch (err) {
      if (seq !== filterSeq) return;
      if (err instanceof ApiError && err.status === 400) filterBar.showError(text, err.message, err.position);
      else showBanner(err);
    } finally {
      if (seq === filterSeq) filterBar.setBusy(false);
    }
  }

  // --- columns ----------------------------------------------------------------------------
  function readColumnState() {
    if (!grid) return;
    const state = grid.getColumnState().filter((c) => c.colId !== ROW_NUMBER_COL && c.colId !== INDEX_COL);
    const pinned = state.filter((c) => c.pinned === "left" && !c.hide).map((c) => c.colId);
    const unpinned = state.filter((c) => c.pinned !== "left" && !c.hide).map((c) => c.colId);
    const visible = [...pinned, ...unpinned];
    const isDefault = visible.length === columns.length && visible.every((n, i) => n === columns[i].name);
    view.columns = isDefault ? null : visible;
    view.pinned = pinned;
    const wanted = fetchColumnsOf(view);
    if (JSON.stringify(wanted) !== JSON.stringify(fetchedColumns)) {
      // The visible set changed: fetch the new columns but keep the scroll position.
      fetchedColumns = wanted;
      newCache(null);
      grid.purgeInfiniteCache();
    }
    syncUrlAndLinks();
  }

  function openMenu(name: string, anchor: HTMLElement) {
    const column = byName.get(name);
    if (!column || !grid) return;
    const dir = view.sort.find(([c]) => c === name)?.[1] ?? null;
    openColumnMenu(anchor, column, { sort: dir, pinned: view.pinned.includes(name) }, {
      sort: (d: SortDir | null) => setSort(d ? [[name, d]] : view.sort.filter(([c]) => c !== name)),
      addFilter: (clause) => {
        const text = combineFilters(filterBar.getText(), clause);
        filterBar.setText(text);
        void applyFilter(text);
      },
      describe: () => panel.show(column, view.filter),
      chartUrl: api.chartUrl(columnChart(column, view.filter)),
      pin: (pin) => grid!.applyColumnState({ state: [{ colId: name, pinned: pin ? "left" : null }] }),
      hide: () => grid!.setColumnsVisible([name], false),
      topValues: column.kind === "category" || column.kind === "bool"
        ? () => api.describe(name, view.filter).then((d) => d.top ?? [])
        : undefined,
    });
  }

  columnsButton.addEventListener("click", () => {
    if (!grid) return;
    openColumnPicker(columnsButton, columns, {
      isVisible: (name) => grid!.getColumn(name)?.isVisible() ?? false,
      setVisible: (names, visible) => grid!.setColumnsVisible(names, visible),
    });
  });

  // --- selection and copy -----------------------------------------------------------------
  function displayedOrder(): string[] {
    return grid ? grid.getAllDisplayedColumns().map((c) => c.getColId()) : [];
  }
  function isSelected(row: number, col: string): boolean {
    if (!selection || col === ROW_NUMBER_COL) return false;
    return inRect(selectionRect(selection, displayedOrder()), row, col);
  }
  function select(row: number, col: string, extend: boolean) {
    const pos = { row, col: col === ROW_NUMBER_COL ? INDEX_COL : col };
    selection = extend && selection ? { anchor: selection.anchor, focus: pos } : { anchor: pos, focus: pos };
    paintSelection();
  }
  /** Marks the rendered cells in the selection. A forced grid refresh would re-create the
   * cells under the mouse and lose the keyboard focus, so classes are toggled in place
   * (cellClassRules cover cells rendered later). */
  function paintSelection() {
    const rect = selection ? selectionRect(selection, displayedOrder()) : null;
    gridEl.querySelectorAll<HTMLElement>(".ag-cell[col-id]").forEach((el) => {
      const col = el.getAttribute("col-id")!;
      const row = Number(el.closest("[row-index]")?.getAttribute("row-index"));
      el.classList.toggle("dl-selected", !!rect && col !== ROW_NUMBER_COL && inRect(rect, row, col));
    });
  }
  // Focus moves by mouse (mousedown has the shift key) or by keys (the last navigation key
  // press says whether shift was down).
  let keyNav: { shift: boolean; at: number } | null = null;
  function onCellFocused(e: CellFocusedEvent<GridRow>) {
    if (e.rowIndex === null || e.rowIndex === undefined || !e.column || typeof e.column === "string") return;
    if (!keyNav || performance.now() - keyNav.at > 1000) return;
    select(e.rowIndex, e.column.getColId(), keyNav.shift);
    keyNav = null;
  }
  let gridActive = false;
  doc().addEventListener("mousedown", (e) => (gridActive = gridEl.contains(e.target as Node)), true);
  gridEl.addEventListener("mousedown", (e) => {
    const el = (e.target as HTMLElement).closest?.(".ag-cell[col-id]");
    const rowEl = el?.closest("[row-index]");
    if (!el || !rowEl || e.button !== 0) return;
    select(Number(rowEl.getAttribute("row-index")), el.getAttribute("col-id")!, e.shiftKey);
  }, true);


  function writeClipboard(text: string): boolean {
    // execCommand works synchronously inside the key press, even in a cross-origin iframe
    // without the clipboard-write permission; navigator.clipboard is the fallback.
    const active = document.activeElement as HTMLElement | null;
    const area = h("textarea", { className: "dl-offscreen", "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    let done = false;
    try {
      done = document.execCommand("copy");
    } catch {
      done = false;
    }
    area.remove();
    active?.focus({ preventScroll: true });
    return done;
  }

  async function copySelection() {
    if (!selection || !grid) return;
    const rect = selectionRect(selection, displayedOrder());
    const count = rect.bottom - rect.top + 1;
    if (count > MAX_COPY_ROWS) {
      say(`Select at most ${MAX_COPY_ROWS.toLocaleString("en-US")} rows to copy; export the view for more.`);
      return;
    }
    const headers = rect.columns.map((c) => (c === INDEX_COL ? "index" : c));
    const asTsv = (rows: GridRow[]) =>
      toTsv(headers, rows.map((r) => rect.columns.map((c) => (c === INDEX_COL ? r.index : r.values[c]))));
    const cached = cache.peek(rect.top, rect.bottom + 1);
    let text: string;
    if (cached) {
      text = asTsv(cached);
      (win as unknown as { __dtaleLastCopy?: string }).__dtaleLastCopy = text;
      if (!writeClipboard(text)) await navigator.clipboard?.writeText(text).catch(() => undefined);
    } else {
      const page = await cache.getRange(rect.top, rect.bottom + 1);
      text = asTsv(page.rows);
      (win as unknown as { __dtaleLastCopy?: string }).__dtaleLastCopy = text;
      const ok = await navigator.clipboard?.writeText(text).then(() => true, () => false);
      if (!ok && !writeClipboard(text)) {
        say("The browser refused the clipboard.");
        return;
      }
    }
    say(`Copied ${count.toLocaleString("en-US")} × ${rect.columns.length} cells`);
  }

  /** Arrow keys move the selection at once (AG Grid moves its focus a frame later, which
   * would lose a quick Ctrl+C); shift+arrow grows it (AG Grid Community only moves focus). */
  function moveSelection(key: string, extend: boolean): boolean {
    if (!selection || !grid) return false;
    const order = displayedOrder().filter((c) => c !== ROW_NUMBER_COL);
    let { row } = selection.focus;
    let at = order.indexOf(selection.focus.col);
    if (key === "ArrowUp") row = Math.max(0, row - 1);
    else if (key === "ArrowDown") row = Math.min(Math.max(0, (currentTotal ?? row + 1) - 1), row + 1);
    else if (key === "ArrowLeft") at = Math.max(0, at - 1);
    else if (key === "ArrowRight") at = Math.min(order.length - 1, at + 1);
    else return false;
    const col = order[Math.max(0, at)];
    selection = { anchor: extend ? selection.anchor : { row, col }, focus: { row, col } };
    grid.ensureIndexVisible(row);
    grid.ensureColumnVisible(col);
    if (!extend) grid.setFocusedCell(row, col);
    paintSelection();
    return true;
  }

  doc().addEventListener("keydown", (e) => {
    const active = document.activeElement;
    // Right after a click the cell may not hold the focus yet: the grid still counts as active.
    const inGrid = gridEl.contains(active) || (gridActive && (!active || active === document.body));
    if (inGrid && e.key.startsWith("Arrow") && !e.ctrlKey && !e.metaKey && !e.altKey && moveSelection(e.key, e.shiftKey)) {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (/^(Page|Home|End|Tab)/.test(e.key)) keyNav = { shift: false, at: performance.now() };
    if ((e.ctrlKey || e.metaKey) && (e.key === "c" || e.key === "C") && inGrid) {
      e.preventDefault();
      void copySelection();
    }
  }, true);
  function doc() {
    return win.document;
  }

  // --- the grid ---------------------------------------------------------------------------
  const header = {
    getSort: () => view.sort,
    onSortClick: (name: string, additive: boolean) => setSort(nextSort(view.sort, name, additive)),
    openMenu,
    kindOf: (name: string) => byName.get(name)?.kind ?? "object",
  };

  const earlyResult = await early;
  const earlyFits = JSON.stringify(earlyQuery) === JSON.stringify(queryOf(view));
  let primed: RowsResponse | null = null;
  if (earlyFits && earlyResult.ok) primed = earlyResult.r;
  else if (earlyFits && !earlyResult.ok) {
    const err = earlyResult.e;
    if (err instanceof ApiError && err.status === 400 && view.filter) {
      filterBar.showError(view.filter, err.message, err.position);
      view.filter = "";
    } else if (!(err instanceof ApiError && err.status === 400)) {
      showBanner(err);
    }
  }
  fetchedColumns = fetchColumnsOf(view);
  newCache(primed);
  const knownTotal = primed ? primed.total : view.filter.trim() ? null : schema.rows;

  grid = createGrid<GridRow>(gridEl, {
    theme,
    rowModelType: "infinite",
    cacheBlockSize: PAGE_SIZE,
    maxBlocksInCache: MAX_PAGES,
    maxConcurrentDatasourceRequests: 2,
    blockLoadDebounceMillis: 15,
    infiniteInitialRowCount: PAGE_SIZE,
    rowBuffer: 10,
    datasource: datasource(knownTotal),
    columnDefs: buildColumnDefs({ columns, visible: view.columns, pinned: view.pinned, header, isSelected, sample: primed ? toPage(primed).rows : null }),
    defaultColDef: { resizable: true, sortable: false, suppressHeaderMenuButton: true, minWidth: 56 },
    suppressDragLeaveHidesColumns: true,
    animateRows: false,
    onCellFocused,
    onColumnVisible: readColumnState,
    onColumnPinned: readColumnState,
    onColumnMoved: (e) => {
      if (e.finished) readColumnState();
    },
  });
  setCount(knownTotal);
  syncUrlAndLinks();

  const media = win.matchMedia?.("(prefers-color-scheme: dark)");
  const applyScheme = () => (document.body.dataset.agThemeMode = media?.matches ? "dark" : "light");
  applyScheme();
  media?.addEventListener?.("change", applyScheme);

  // For tests and the curious: the grid API and the live view.
  (win as unknown as { dtaleLite?: unknown }).dtaleLite = { grid, view, get cacheSize() { return cache.size; } };
}
