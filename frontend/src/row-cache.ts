// A bounded cache of row pages for one view (sort + filter + columns). The grid asks for
// blocks; the cache shares in-flight requests, keeps at most `maxPages` pages (least recently
// used go first) so memory does not grow with scrolling, and answers synchronous peeks for
// copying. Pure: the fetch is passed in. Unit-tested with a fake.

export interface Page<Row> {
  total: number;
  rows: Row[];
}

export type FetchPage<Row> = (offset: number, limit: number) => Promise<Page<Row>>;

export interface RowCache<Row> {
  /** Rows [start, end) (fewer at the end of the view) and the view's total. */
  getRange(start: number, end: number): Promise<Page<Row>>;
  /** Rows [start, end) if every page is loaded, else null. */
  peek(start: number, end: number): Row[] | null;
  /** Seeds a page already fetched (e.g. while checking a filter). */
  prime(offset: number, page: Page<Row>): void;
  readonly total: number | null;
  readonly size: number;
}

export interface RowCacheOptions<Row> {
  fetchPage: FetchPage<Row>;
  pageSize: number;
  maxPages: number;
}

export function createRowCache<Row>({ fetchPage, pageSize, maxPages }: RowCacheOptions<Row>): RowCache<Row> {
  if (pageSize <= 0 || maxPages <= 0) throw new Error("pageSize and maxPages must be positive");
  // Map keeps insertion order: re-inserting on use makes it an LRU.
  const pages = new Map<number, Row[]>();
  const inflight = new Map<number, Promise<Row[]>>();
  let total: number | null = null;

  function remember(n: number, rows: Row[]) {
    pages.delete(n);
    pages.set(n, rows);
    while (pages.size > maxPages) {
      const oldest = pages.keys().next().value as number;
      pages.delete(oldest);
    }
  }

  function loadPage(n: number): Promise<Row[]> {
    const hit = pages.get(n);
    if (hit) {
      remember(n, hit);
      return Promise.resolve(hit);
    }
    const pending = inflight.get(n);
    if (pending) return pending;
    const promise = fetchPage(n * pageSize, pageSize)
      .then((page) => {
        total = page.total;
        remember(n, page.rows);
        return page.rows;
      })
      .finally(() => inflight.delete(n));
    inflight.set(n, promise);
    return promise;
  }

  return {
    async getRange(start, end) {
      if (end <= start) return { total: total ?? 0, rows: [] };
      const first = Math.floor(start / pageSize);
      const last = Math.floor((end - 1) / pageSize);
      const loaded: Row[][] = [];
      const jobs: Promise<Row[]>[] = [];
      for (let n = first; n <= last; n++) jobs.push(loadPage(n));
      loaded.push(...(await Promise.all(jobs)));
      const rows = loaded.flat().slice(start - first * pageSize, end - first * pageSize);
      return { total: total ?? 0, rows };
    },
    peek(start, end) {
      const out: Row[] = [];
      for (let n = Math.floor(start / pageSize); n * pageSize < end; n++) {
        const page = pages.get(n);
        if (!page) return null;
        const from = Math.max(start, n * pageSize) - n * pageSize;
        const to = Math.min(end, (n + 1) * pageSize) - n * pageSize;
        out.push(...page.slice(from, to));
        if (page.length < pageSize) break;
      }
      return out;
    },
    prime(offset, page) {
      if (offset % pageSize !== 0) return;
      total = page.total;
      remember(offset / pageSize, page.rows.slice(0, pageSize));
    },
    get total() {
      return total;
    },
    get size() {
      return pages.size;
    },
  };
}
