// The page around the grid: the toolbar (frames link, frame name and engine, the filter bar,
// the chart links, the columns and code buttons, the export links, load data), the filter's
// error, the error banner, the grid with the column panel beside it, and the toast.

import { ANALYSIS_LABELS, ANALYSIS_PAGES, type AnalysisPage } from "./chart-links";
import { h } from "./dom";
import type { FilterBar } from "./filter-bar";

export const EXPORT_FORMATS = ["csv", "tsv", "json", "parquet"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ToolbarLinks {
  /** The download link of the current view in `format`. */
  exportUrl(format: ExportFormat): string;
  /** The chart builder on the rows of the current view. */
  chartUrl: string;
  /** The correlations page over the rows of the current view. */
  correlationsUrl: string;
  /** An analysis page (issue 16) over the rows of the current view. */
  analysisUrl(page: AnalysisPage): string;
}

export interface PageLayoutOptions {
  /** The frame's name in the toolbar. */
  frameName: string;
  /** The page that lists all frames. */
  framesUrl: string;
  filterBar: FilterBar;
  banner: HTMLElement;
  toast: HTMLElement;
  panel: HTMLElement;
  /** The Steps panel (issue 15), beside the column panel. */
  stepsPanel?: HTMLElement;
}

export interface PageLayout {
  gridEl: HTMLElement;
  columnsButton: HTMLButtonElement;
  /** The View menu (issue 16): theme, highlights, exports as formatted. */
  viewButton: HTMLButtonElement;
  /** Opens the pandas code of the current view (issue 17). */
  codeButton: HTMLButtonElement;
  /** Opens the Load data dialog (issue 17). */
  loadButton: HTMLButtonElement;
  /** Issue 15: the Build column and Summarize dialogs, and the Steps panel. */
  buildButton: HTMLButtonElement;
  summarizeButton: HTMLButtonElement;
  stepsButton: HTMLButtonElement;
  /** Names the engine that reads the frame, unless it is pandas (the default). */
  showEngine(engine: string | undefined): void;
  setLinks(links: ToolbarLinks): void;
}

/** Builds the page into `mount` (replacing what it held); returns the parts the app drives. */
export function createPageLayout(mount: HTMLElement, { frameName, framesUrl, filterBar, banner, toast, panel, stepsPanel }: PageLayoutOptions): PageLayout {
  const exportLinks = EXPORT_FORMATS.map((format) =>
    h("a", { className: "dl-btn dl-ghost", "data-testid": `export-${format}`, href: "#", download: "", title: `Download the current view as ${format.toUpperCase()}` }, format.toUpperCase()),
  );
  // Links into the chart builder (issue 6), opened in a new tab; they carry the grid's filter.
  const chartLink = h("a", { className: "dl-btn dl-ghost", "data-testid": "chart-view", href: "#", target: "_blank", rel: "noopener", title: "Open the chart builder on the rows of this view" }, "Chart this view");
  const correlationsLink = h("a", { className: "dl-btn dl-ghost", "data-testid": "chart-correlations", href: "#", target: "_blank", rel: "noopener", title: "Correlations of the numeric columns over the rows of this view" }, "Correlations");
  // The analysis pages in one menu (a <details>: no script, keyboard-friendly), so the
  // toolbar, which wraps at 1280 px, gains one button, not four.
  const analysisLinks = ANALYSIS_PAGES.map((page) =>
    h("a", { className: "dl-menu-item", "data-testid": `analyze-${page}`, href: "#", target: "_blank", rel: "noopener", title: `${ANALYSIS_LABELS[page]} of the rows of this view` }, ANALYSIS_LABELS[page]),
  );
  const analyzeMenu = h("details", { className: "dl-analyze", "data-testid": "analyze-menu" },
    h("summary", { className: "dl-btn dl-ghost", title: "Missing values, outliers, duplicates and time series of this view" }, "Analyze"),
    h("div", { className: "dl-analyze-list" }, ...analysisLinks));
  const columnsButton = h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "columns-button", title: "Show, hide and find columns" }, "Columns");
  const viewButton = h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "view-button", title: "Theme, highlights, formatted exports, column widths", "aria-haspopup": "menu" }, "View");
  const codeButton = h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "code-button", title: "The pandas code of this view, to copy" }, "Code");
  const loadButton = h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "load-button", title: "Open a CSV, TSV, Parquet, JSON or Excel file as a new frame" }, "Load data");
  const buildButton = h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "build-button", title: "Add a column built from others (a step you can undo)" }, "Build column");
  const summarizeButton = h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "summarize-button", title: "Group by, pivot, resample, melt … into a new frame" }, "Summarize");
  const stepsButton = h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "steps-button", title: "The steps applied to this frame: undo, redo, their pandas code", "aria-pressed": "false" }, "Steps");
  const title = h("a", { className: "dl-title", href: framesUrl, title: "All frames", "data-testid": "frames-link" }, "dtale_lite");
  const frameLabel = h("span", { className: "dl-frame-name", "data-testid": "frame-name" }, frameName);
  const gridEl = h("div", { className: "dl-grid", "data-testid": "grid" });
  mount.replaceChildren(
    h("div", { className: "dl-app", "data-testid": "app" },
      h("header", { className: "dl-toolbar" }, title, frameLabel, filterBar.form, filterBar.count,
        h("span", { className: "dl-spacer" }),
        h("span", { className: "dl-charts", "data-testid": "charts" }, chartLink, correlationsLink, analyzeMenu),
        columnsButton,
        viewButton,
        buildButton,
        summarizeButton,
        stepsButton,
        codeButton,
        h("span", { className: "dl-export", "data-testid": "export" }, h("span", { className: "dl-muted" }, "Export"), ...exportLinks),
        loadButton),
      filterBar.errorBox,
      banner,
      h("main", { className: "dl-main" }, gridEl, panel, stepsPanel ?? null),
      toast),
  );

  return {
    gridEl,
    columnsButton,
    viewButton,
    codeButton,
    loadButton,
    buildButton,
    summarizeButton,
    stepsButton,
    showEngine(engine) {
      if (!engine || engine === "pandas") return;
      // Which engine reads the frame (Polars, DuckDB over files, Dask on a cluster).
      frameLabel.title = `read through ${engine}`;
      frameLabel.append(h("span", { className: "dl-engine", "data-testid": "frame-engine" }, engine));
    },
    setLinks({ exportUrl, chartUrl, correlationsUrl, analysisUrl }) {
      exportLinks.forEach((a, i) => (a.href = exportUrl(EXPORT_FORMATS[i])));
      analysisLinks.forEach((a, i) => (a.href = analysisUrl(ANALYSIS_PAGES[i])));
      chartLink.href = chartUrl;
      correlationsLink.href = correlationsUrl;
    },
  };
}
