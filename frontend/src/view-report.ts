// Tells the server what the grid shows (issue 7), so that `inst.view()` in Python returns the
// same rows and columns. Reports are debounced (a drag or a burst of clicks sends one), never
// repeat an unchanged view, and go one at a time in order, numbered per page: the server
// keeps the last one and ignores an older one of the same page. Pure: the POST and the timers
// are arguments.

import type { SortSpec } from "./url-state";

export interface GridView {
  filter: string;
  sort: SortSpec;
  /** Visible columns in the grid's order; null when all are shown in the frame's order. */
  columns: string[] | null;
}

export interface ViewReport extends GridView {
  page: string;
  seq: number;
}

export interface ViewReporterOptions {
  send: (report: ViewReport) => Promise<unknown>;
  /** This page's id: the server orders one page's reports by `seq`. */
  page: string;
  delayMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** A failed report is retried with the next change; this hears about the failure. */
  onError?: (err: unknown) => void;
}

export const REPORT_DELAY_MS = 250;

export function createViewReporter(options: ViewReporterOptions) {
  const { send, page, onError } = options;
  const delay = options.delayMs ?? REPORT_DELAY_MS;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let pending: GridView | null = null;
  let lastSent: string | null = null;
  let timer: unknown = null;
  let inFlight: Promise<void> | null = null;
  let seq = 0;

  /** Sends the latest reported view now (after the one in flight, if any). */
  function flush(): Promise<void> {
    if (timer !== null) {
      clearTimer(timer);
      timer = null;
    }
    if (inFlight) return inFlight.then(flush);
    if (!pending) return Promise.resolve();
    const view = pending;
    pending = null;
    const text = JSON.stringify(view);
    if (text === lastSent) return Promise.resolve();
    seq += 1;
    inFlight = send({ ...view, page, seq })
      .then(
        () => {
          lastSent = text;
        },
        (err: unknown) => onError?.(err),
      )
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  /** The grid now shows `view`: report it once it has been stable for the delay. */
  function report(view: GridView): void {
    pending = {
      filter: view.filter.trim(),
      sort: view.sort.map(([c, d]) => [c, d]),
      columns: view.columns ? [...view.columns] : null,
    };
    if (timer !== null) clearTimer(timer);
    timer = setTimer(() => {
      timer = null;
      void flush();
    }, delay);
  }

  return { report, flush, get seq() { return seq; } };
}

export type ViewReporter = ReturnType<typeof createViewReporter>;
