// What the page says besides the cells: the error banner (with its Retry button), the toast,
// and "Sorting N rows…" in the row count until the first block of a new sort arrives (the
// row count itself is the filter bar's). `explainError` is pure and unit-tested.

import { ApiError, SUPERSEDED } from "./api-client";
import { h } from "./dom";
import type { FilterBar } from "./filter-bar";

/** The banner's text for a failed request: what happened and, where it helps, what to do. */
export function explainError(err: unknown): string {
  if (!(err instanceof ApiError)) return `Unexpected error: ${(err as Error)?.message ?? err}`;
  if (err.status === 0) return err.message;
  if (err.status === 404) return `${err.message}. The frame may have been killed, or the server restarted: run show() again for a new link.`;
  if (err.status === 401 || err.status === 403) return `${err.message}`;
  return `The server answered ${err.status}: ${err.message}`;
}

/** The row count's text while a new sort of `rows` rows (null: not known) is computed. */
export function sortingText(rows: number | null): string {
  return rows === null ? "Sorting…" : `Sorting ${rows.toLocaleString("en-US")} rows…`;
}

export const TOAST_MS = 2500;

export interface StatusLineOptions {
  win: Window;
  filterBar: FilterBar;
  /** Retry was clicked (the banner is hidden already). */
  onRetry(): void;
}

export interface StatusLine {
  banner: HTMLElement;
  toast: HTMLElement;
  /** Shows `err` in the banner, unless a newer request of this page replaced it (409). */
  showError(err: unknown): void;
  hideError(): void;
  /** Shows `text` in the toast for a moment. */
  say(text: string): void;
  startSorting(rows: number | null): void;
  doneSorting(): void;
}

export function createStatusLine({ win, filterBar, onRetry }: StatusLineOptions): StatusLine {
  const banner = h("div", { className: "dl-banner", "data-testid": "error-banner", role: "alert", hidden: true });
  const toast = h("div", { className: "dl-toast", "data-testid": "toast", hidden: true });
  let toastTimer: number | undefined;
  // A new sort of millions of rows takes the server a second or two: say so until the first
  // block of the new view arrives, rather than leaving the old count and blank rows.
  let sorting = false;

  return {
    banner,
    toast,
    showError(err) {
      // Replaced by a newer request of this page (another sort, say): that one answers.
      if (err instanceof ApiError && err.status === SUPERSEDED) return;
      const retry = h("button", { type: "button", className: "dl-btn", "data-testid": "error-retry" }, "Retry");
      retry.addEventListener("click", () => {
        banner.hidden = true;
        onRetry();
      });
      banner.replaceChildren(h("span", { "data-testid": "error-message" }, explainError(err)), retry);
      banner.hidden = false;
    },
    hideError() {
      if (!banner.hidden) banner.hidden = true;
    },
    say(text) {
      toast.textContent = text;
      toast.hidden = false;
      win.clearTimeout(toastTimer);
      toastTimer = win.setTimeout(() => (toast.hidden = true), TOAST_MS);
    },
    startSorting(rows) {
      sorting = true;
      filterBar.setBusy(true);
      filterBar.setCount(sortingText(rows));
    },
    doneSorting() {
      if (!sorting) return;
      sorting = false;
      filterBar.setBusy(false);
    },
  };
}
