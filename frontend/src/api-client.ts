// The one typed client of the dtale_lite JSON API. Every URL starts with the app root and
// carries the key (header for fetches, query parameter for links). `fetchJson` throws an
// ApiError on `ok: false` or a network failure; it never returns undefined silently.

import { analysisParams, chartParams, correlationsParams, type AnalysisPage, type ChartSettings, type CorrelationMethod, type QueryPairs } from "./chart-links";
import type { Kind } from "./format";
import { parseJson } from "./json-parse";
import { createStepsClient } from "./steps-client";
import type { SortSpec } from "./url-state";
import type { ViewReport } from "./view-report";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly position: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ColumnInfo {
  name: string;
  dtype: string;
  kind: Kind;
}

export interface Schema {
  rows: number;
  /** false when the engine only estimated the row count (the page says "about"). */
  rows_exact?: boolean;
  /** The engine that reads the frame: pandas, polars, duckdb or dask. */
  engine?: string;
  columns: ColumnInfo[];
  name?: string | null;
}

export interface RowsResponse {
  /** pandas frames: each row's position in the user's frame (what a cell edit names). */
  positions?: number[];
  offset: number;
  limit: number;
  total: number;
  total_exact?: boolean;
  columns: string[];
  index: unknown[];
  data: unknown[][];
}

export interface Describe {
  count?: number;
  missing?: number;
  unique?: number;
  top?: Array<{ value: unknown; count: number }>;
  mean?: number | string | null;
  std?: number | string | null;
  min?: unknown;
  q25?: unknown;
  q50?: unknown;
  q75?: unknown;
  max?: unknown;
  histogram?: { edges: Array<number | string>; counts: number[] } | null;
  inf_count?: number;
  true?: number;
  false?: number;
  length?: { min?: number; mean?: number; max?: number } | null;
  /** pandas' skew() and kurt() (excess); null under 3 / 4 values or without spread. */
  skew?: number | null;
  kurtosis?: number | null;
  /** Values outside Q1 - 1.5 IQR .. Q3 + 1.5 IQR. */
  outliers?: number;
  /** Text values equal to "", and their share of the non-missing values. */
  empty?: number;
  empty_share?: number | null;
  /** The figures the engine estimated (shown as "≈"). */
  approximate?: string[];
}

export interface FrameSummary {
  id: number;
  name: string | null;
  rows: number;
  columns: number;
  url: string;
}

/** What Load data accepts (GET /api/upload). */
export interface UploadLimits {
  max_bytes: number;
  formats: string[];
  from_url: boolean;
}

/** A frame made by Load data: its page's URL (with the key) to open. */
export interface LoadedFrame {
  id: number;
  name: string;
  rows: number;
  columns: number;
  url: string;
}

export interface ViewQuery {
  sort?: SortSpec;
  filter?: string;
  columns?: string[] | null;
}

export type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string | FormData; signal?: AbortSignal }) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

export interface ApiClientOptions {
  fetch: FetchLike;
  root: string;
  key: string | null;
  frame: number | string;
  /** This page's id (default: a random one per client). */
  clientId?: string;
  /** Parameters every page link carries (the chosen theme, issue 16). */
  pageParams?: () => QueryPairs;
}

export const KEY_HEADER = "X-Dtale-Lite-Key";
/** Which page a request comes from: the server drops this page's queued computations that a
 * newer request of the same kind, for another view, has replaced (answered with 409). */
export const CLIENT_HEADER = "X-Dtale-Lite-Client";
export const SUPERSEDED = 409;

function newClientId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function viewParams(view: ViewQuery): Record<string, string> {
  const out: Record<string, string> = {};
  if (view.sort && view.sort.length) out.sort = JSON.stringify(view.sort);
  if (view.filter && view.filter.trim()) out.filter = view.filter;
  if (view.columns) out.columns = JSON.stringify(view.columns);
  return out;
}

export function createApiClient({ fetch, root, key, frame, clientId = newClientId(), pageParams }: ApiClientOptions) {
  const base = root.replace(/\/+$/, "");
  const frameSegment = encodeURIComponent(String(frame));
  const frameBase = `${base}/api/frames/${frameSegment}`;

  function url(path: string, params: Record<string, string | number> = {}, withKey = false): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) qs.set(k, String(v));
    if (withKey && key) qs.set("key", key);
    const text = qs.toString();
    return text ? `${path}?${text}` : path;
  }

  /** A link to a page of the viewer: the key first, then `params` (which may repeat a name). */
  function pageLink(path: string, params: QueryPairs = []): string {
    const all = [...params, ...(pageParams?.() ?? [])];
    const qs = new URLSearchParams(key ? [["key", key], ...all] : all);
    const text = qs.toString();
    return text ? `${base}${path}?${text}` : `${base}${path}`;
  }

  async function fetchJson<T>(target: string, signal?: AbortSignal, post?: unknown): Promise<T> {
    let response: Awaited<ReturnType<FetchLike>>;
    const headers: Record<string, string> = { [CLIENT_HEADER]: clientId };
    if (key) headers[KEY_HEADER] = key;
    try {
      if (post === undefined) response = await fetch(target, { headers, signal });
      // A form (an upload) sets its own multipart Content-Type, boundary included.
      else if (typeof FormData !== "undefined" && post instanceof FormData) response = await fetch(target, { method: "POST", headers, body: post, signal });
      else response = await fetch(target, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(post), signal });
    } catch (err) {
      if ((err as Error)?.name === "AbortError") throw err;
      throw new ApiError("Cannot reach the dtale_lite server: it may have stopped or be restarting.", 0);
    }
    let body: Record<string, unknown>;
    try {
      body = parseJson(await response.text()) as Record<string, unknown>;
    } catch {
      throw new ApiError(`The server answered ${response.status} with something that is not JSON.`, response.status);
    }
    if (!body || body.ok !== true) {
      const message = typeof body?.error === "string" ? body.error : `Request failed (${response.status}).`;
      const status = typeof body?.status === "number" ? body.status : response.status;
      const position = typeof body?.position === "number" ? body.position : null;
      throw new ApiError(message, status, position);
    }
    return body as T;
  }

  return {
    clientId,
    fetchJson,
    schema: (signal?: AbortSignal) => fetchJson<Schema>(`${frameBase}/schema`, signal),
    rows: (offset: number, limit: number, view: ViewQuery, signal?: AbortSignal) =>
      fetchJson<RowsResponse>(url(`${frameBase}/rows`, { offset, limit, ...viewParams(view) }), signal),
    describe: (column: string, filter: string, signal?: AbortSignal) =>
      fetchJson<Describe>(url(`${frameBase}/describe`, { column, ...(filter.trim() ? { filter } : {}) }), signal),
    frames: () => fetchJson<{ frames: FrameSummary[] }>(`${base}/api/frames`),
    /** The pandas code that derives `view` from the shown frame (`inst.code()`). */
    code: (view: ViewQuery) => fetchJson<{ code: string }>(url(`${frameBase}/code`, viewParams(view))).then((b) => b.code),
    uploadLimits: () => fetchJson<UploadLimits>(`${base}/api/upload`),
    /** Loads the file (or URL) in `form` into a new frame. */
    upload: (form: FormData) => fetchJson<LoadedFrame>(`${base}/api/upload`, undefined, form),
    /** Tells the server what the grid shows, for `inst.view()` in Python (issue 7). */
    reportView: (report: ViewReport) => fetchJson<{ stored: boolean }>(`${frameBase}/view`, undefined, report),
    /** The steps routes (issue 15). */
    steps: createStepsClient(fetchJson, frameBase),
    /** A download link: the key goes in the query, since a link sends no header. */
    exportUrl: (format: "csv" | "tsv" | "json" | "parquet", view: ViewQuery, extra: Record<string, string> = {}) =>
      url(`${frameBase}/export`, { format, ...viewParams(view), ...extra }, true),
    /** A page link that keeps the key. */
    pageUrl: (path: string) => pageLink(path),
    /** The chart builder page of this frame with `settings` (issue 6). */
    chartUrl: (settings: ChartSettings) => pageLink(`/charts/${frameSegment}`, chartParams(settings)),
    /** The correlations page of this frame over the rows that pass `filter`. */
    correlationsUrl: (filter: string, method?: CorrelationMethod) =>
      pageLink(`/charts/${frameSegment}/correlations`, correlationsParams(filter, method)),
    /** An analysis page of this frame (issue 16) over the rows that pass `filter`. */
    analysisUrl: (page: AnalysisPage, filter: string) =>
      pageLink(`/charts/${frameSegment}/${page}`, analysisParams(filter)),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
