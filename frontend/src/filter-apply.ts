// Applying a filter typed in the filter bar: the filter is checked with the first page of the
// view it makes. A wrong one (400) shows its error and keeps the view; a right one's page seeds
// the new view (the server caches the mask, so no double work). Only the latest filter counts:
// an older one that answers late is ignored. Pure: the request and the reactions are arguments.

import { ApiError } from "./api-client";

export interface FilterApplyOptions<Page> {
  /** The first page of the current view under filter `text`. */
  check(text: string): Promise<Page>;
  setBusy(busy: boolean): void;
  /** The filter is good: `first` is its first page. */
  accept(text: string, first: Page): void;
  /** The server refused the filter (400): its message, and the position it points at. */
  reject(text: string, err: ApiError): void;
  /** Any other failure. */
  fail(err: unknown): void;
}

/** Returns the function that applies a filter; it resolves once the filter is settled. */
export function createFilterApplier<Page>({ check, setBusy, accept, reject, fail }: FilterApplyOptions<Page>): (text: string) => Promise<void> {
  let latest = 0;
  return async function applyFilter(text) {
    const seq = ++latest;
    setBusy(true);
    try {
      const first = await check(text);
      if (seq !== latest) return;
      accept(text, first);
    } catch (err) {
      if (seq !== latest) return;
      if (err instanceof ApiError && err.status === 400) reject(text, err);
      else fail(err);
    } finally {
      if (seq === latest) setBusy(false);
    }
  };
}
