// The grid page: composes its parts (page-layout, status-line, grid-view, cell-selection,
// column-controls, view-sync) around one AG Grid (Community, infinite row model; grid-setup).

import { createApiClient, type Schema } from "./api-client";
import { copyCells } from "./cell-copy";
import { openCodeDialog } from "./code-dialog";
import { createCellSelection } from "./cell-selection";
import { writeClipboardLater, writeClipboardNow } from "./clipboard";
import { createColumnControls } from "./column-controls";
import { createColumnPanel } from "./column-panel";
import type { PageConfig } from "./config";
import { createFilterBar } from "./filter-bar";
import { buildColumnDefs, type GridRow } from "./grid-columns";
import { createDataGrid, PAGE_SIZE } from "./grid-setup";
import { createGridView, type GridView } from "./grid-view";
import { openLoadDialog } from "./load-dialog";
import { createPageLayout } from "./page-layout";
import { toPage } from "./row-source";
import { createStatusLine } from "./status-line";
import { createStepsControls, type StepsControls } from "./steps-controls";
import { checkFormat } from "./col-format";
import { createLook, showTheme, storedTheme, type Look } from "./look";
import { parseLookState, parseViewState } from "./url-state";
import { openViewMenu } from "./view-menu";
import { firstPageOutcome, queryOf, sameQuery, settle } from "./view-query";
import { createViewReporter } from "./view-report";
import { createViewSync } from "./view-sync";

/** The engines whose frames take steps (issue 15); Dask frames do not. */
const STEPPED_ENGINES = ["pandas", "polars", "duckdb"];

export async function startApp(mount: HTMLElement, config: PageConfig, win: Window = window): Promise<void> {
  // The chosen theme before anything draws (no flash of the other one).
  const firstLook = parseLookState(win.location.search);
  showTheme(win, firstLook.theme === "auto" ? storedTheme(win) : firstLook.theme);
  let look: Look | null = null;
  // Chart pages opened from the grid follow its chosen theme (issue 16).
  const api = createApiClient({
    fetch: win.fetch.bind(win), root: config.root, key: config.key, frame: config.frameId,
    pageParams: () => (look && look.state.theme !== "auto" ? [["theme", look.state.theme]] : []),
  });

  // What the grid shows goes to the server too, for `inst.view()` in Python (issue 7). A
  // failed report costs the page nothing; the next change sends the view again.
  const reporter = createViewReporter({
    send: (report) => api.reportView(report),
    page: api.clientId, // the page's id, as the admission control knows it
    onError: (err) => console.warn("dtale_lite: could not report the view to the server", err),
  });
  win.addEventListener("pagehide", () => void reporter.flush());

  // Start the first page while the schema loads: both are needed before the first cells.
  const earlyQuery = queryOf(parseViewState(win.location.search));
  const early = settle(api.rows(0, PAGE_SIZE, earlyQuery));

  let gridView: GridView | null = null;
  const filterBar = createFilterBar((text) => void gridView?.applyFilter(text));
  const status = createStatusLine({
    win,
    filterBar,
    onRetry: () => (gridView?.grid ? gridView.reset(null) : win.location.reload()),
  });
  const panel = createColumnPanel(api, () => {});
  const stepsSlot = document.createElement("div");
  stepsSlot.className = "dl-steps-slot";
  const layout = createPageLayout(mount, {
    stepsPanel: stepsSlot,
    frameName: config.frameName ?? `frame ${config.frameId}`,
    framesUrl: api.pageUrl("/"),
    filterBar,
    banner: status.banner,
    toast: status.toast,
    panel: panel.el,
  });

  let schema: Schema;
  try {
    schema = await api.schema();
  } catch (err) {
    status.showError(err);
    filterBar.setCount("");
    return;
  }
  layout.showEngine(schema.engine);
  const view = parseViewState(win.location.search, new Set(schema.columns.map((c) => c.name)));
  const syncView = createViewSync({
    win, urls: api, setLinks: layout.setLinks, reporter,
    exportExtra: () => {
      if (!look?.state.exportFormatted) return {};
      // Formats of columns a step renamed, dropped or converted since are left out (the
      // server would refuse them).
      const kinds = new Map(schema.columns.map((c) => [c.name, c.kind]));
      const formats = Object.fromEntries(Object.entries(look?.state.formats ?? {}).filter(([name, f]) => kinds.has(name) && checkFormat(f, kinds.get(name))));
      return { formatted: "true", ...(Object.keys(formats).length ? { formats: JSON.stringify(formats) } : {}) };
    },
  });
  filterBar.setText(view.filter);

  const selection = createCellSelection({
    win,
    gridEl: layout.gridEl,
    grid: () => gridView?.grid ?? null,
    total: () => gridView?.total ?? null,
    copy: (rect) => {
      const cache = gridView!.cache;
      void copyCells(rect, {
        peek: (start, end) => cache.peek(start, end),
        getRange: (start, end) => cache.getRange(start, end),
        writeNow: writeClipboardNow,
        writeLater: writeClipboardLater,
        remember,
        say: status.say,
      });
    },
  });
  const grids = createGridView({
    view,
    schema,
    fetchRows: api.rows,
    filterBar,
    status,
    panel,
    selection,
    sync: (v) => {
      syncView(v);
      look?.viewChanged();
    },
    markStale: (stale) => {
      layout.gridEl.classList.toggle("dl-stale", stale);
      layout.gridEl.dataset.stale = String(stale);
    },
  });
  gridView = grids;
  const remember = (text: string) => ((win as unknown as { __dtaleLastCopy?: string }).__dtaleLastCopy = text);
  layout.codeButton.addEventListener("click", () => openCodeDialog({
    load: () => api.code({ sort: view.sort, filter: view.filter, columns: view.columns }),
    copy: async (text) => {
      remember(text);
      return (await writeClipboardLater(text)) || writeClipboardNow(text);
    },
  }));
  layout.loadButton.addEventListener("click", () => openLoadDialog({
    limits: api.uploadLimits,
    upload: api.upload,
    open: (frame) => win.location.assign(frame.url),
  }));
  // Steps (issue 15) on pandas, Polars and DuckDB frames (the server answers an op an engine
  // does not take with a 400 that names it): after each, the grid follows the new schema.
  let steps: StepsControls | null = null;
  if (!schema.engine || STEPPED_ENGINES.includes(schema.engine)) {
    steps = createStepsControls({
      win,
      client: api.steps,
      columns: () => schema.columns,
      async refresh() {
        schema = await api.schema();
        grids.refresh(schema, columnDefs);
      },
      say: status.say,
      copy: async (text) => {
        remember(text);
        return (await writeClipboardLater(text)) || writeClipboardNow(text);
      },
      buttons: { build: layout.buildButton, summarize: layout.summarizeButton, steps: layout.stepsButton },
    });
    stepsSlot.replaceWith(steps.panel);
  } else {
    for (const button of [layout.buildButton, layout.summarizeButton, layout.stepsButton]) button.hidden = true;
    stepsSlot.remove();
  }
  look = createLook({
    win,
    look: parseLookState(win.location.search, new Map(schema.columns.map((c) => [c.name, c.kind]))),
    describe: (column, filter) => api.describe(column, filter),
    columns: () => schema.columns,
    visible: () => view.columns ?? schema.columns.map((c) => c.name),
    filter: () => view.filter,
    grid: () => grids.grid,
    onChange: () => syncView(view),
  });
  const looks = look;
  const sampleRows = () => grids.cache.peek(0, Math.min(PAGE_SIZE, grids.total ?? PAGE_SIZE)) ?? [];
  const header = createColumnControls({
    api, columns: () => schema.columns, shapeFor: steps?.shapeFor, gridView: grids, filterBar, panel, columnsButton: layout.columnsButton,
    look: looks,
    sampleOf: (name) => sampleRows().map((r) => r.values[name]).find((v) => v !== null && v !== undefined),
  });
  const columnDefs = (sample: GridRow[] | null = null) =>
    buildColumnDefs({ columns: schema.columns, visible: view.columns, pinned: view.pinned, header, isSelected: selection.isSelected, sample, look: looks });
  layout.viewButton.addEventListener("click", () => {
    const names = schema.columns.map((c) => c.name);
    openViewMenu(layout.viewButton, { theme: looks.state.theme, missing: looks.state.highlights.missing, heatScope: looks.state.highlights.heatScope, exportFormatted: looks.state.exportFormatted }, {
      setTheme: looks.setTheme,
      setMissing: looks.setMissing,
      setHeatScope: looks.setHeatScope,
      setExportFormatted: (on) => {
        looks.setExportFormatted(on);
        syncView(view);
      },
      showAllColumns: () => grids.grid?.setColumnsVisible(names, true),
      unpinAll: () => grids.grid?.applyColumnState({ state: names.map((colId) => ({ colId, pinned: null })) }),
      resetWidths: () => {
        looks.resetWidths();
        const defs = columnDefs(sampleRows());
        grids.grid?.applyColumnState({ state: defs.filter((d) => names.includes(d.colId!)).map((d) => ({ colId: d.colId!, width: d.width })) });
      },
      clearLooks: looks.clearAll,
    });
  });

  const outcome = firstPageOutcome(await early, sameQuery(earlyQuery, queryOf(view)), view.filter);
  if (outcome.kind === "bad-filter") {
    filterBar.showError(view.filter, outcome.error.message, outcome.error.position);
    view.filter = "";
    grids.showStale("");
  } else if (outcome.kind === "failed") {
    status.showError(outcome.error);
  }
  const primed = outcome.kind === "rows" ? outcome.rows : null;

  const grid = grids.open(primed, (datasource) =>
    createDataGrid(layout.gridEl, {
      datasource,
      columnDefs: columnDefs(primed ? toPage(primed).rows : null),
      onCellFocused: selection.onCellFocused,
      onCellDoubleClicked: steps?.onCellDoubleClicked,
      onColumnsChanged: grids.readColumnState,
      onColumnsResized: looks.setWidths,
    }),
  );

  // For tests and the curious: the grid API and the live view.
  (win as unknown as { dtaleLite?: unknown }).dtaleLite = { grid, view, look: looks.state, get cacheSize() { return grids.cache.size; } };
}
