// Keeps everything that follows the view in step with it: the page URL (so a reload or a
// shared link reopens the same view), the export and chart links of the toolbar, and the
// report to the server for `inst.view()` in Python (issue 7). Pure: the window's location and
// history, the URL builders, the links and the reporter are arguments. Unit-tested with fakes.

import type { ApiClient, ViewQuery } from "./api-client";
import { viewChart } from "./chart-links";
import type { ToolbarLinks } from "./page-layout";
import { writeViewState, type ViewState } from "./url-state";
import type { GridView } from "./view-report";

export interface UrlHost {
  location: { search: string; pathname: string; hash: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url: string): void };
}

export interface ViewSyncOptions {
  win: UrlHost;
  urls: Pick<ApiClient, "exportUrl" | "chartUrl" | "correlationsUrl" | "analysisUrl">;
  setLinks(links: ToolbarLinks): void;
  reporter: { report(view: GridView): void };
  /** More export parameters (issue 16: `formatted` and `formats` when asked). */
  exportExtra?: () => Record<string, string>;
}

/** Returns the function that brings the URL, the links and the server up to `view`. */
export function createViewSync({ win, urls, setLinks, reporter, exportExtra }: ViewSyncOptions): (view: ViewState) => void {
  return function syncView(view) {
    const search = writeViewState(win.location.search, view);
    try {
      win.history.replaceState(win.history.state, "", `${win.location.pathname}${search}${win.location.hash}`);
    } catch {
      // A sandboxed iframe may refuse; the view still works, only the link does not follow.
    }
    const exportView: ViewQuery = { sort: view.sort, filter: view.filter, columns: view.columns };
    setLinks({
      exportUrl: (format) => urls.exportUrl(format, exportView, format === "parquet" ? {} : exportExtra?.()),
      chartUrl: urls.chartUrl(viewChart(view.filter)),
      correlationsUrl: urls.correlationsUrl(view.filter),
      analysisUrl: (page) => urls.analysisUrl(page, view.filter),
    });
    reporter.report({ filter: view.filter, sort: view.sort, columns: view.columns });
  };
}
