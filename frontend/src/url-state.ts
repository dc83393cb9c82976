// The view (sort, filter, visible columns, pinned columns) in the page URL, so a reload or a
// shared link reopens the same view. Other query parameters, the key first of all, are kept.
// Pure, unit-tested.

import { checkFormat, type Formats } from "./col-format";
import { checkHighlight, NO_HIGHLIGHTS, type Highlight, type HighlightState } from "./highlight";

export type SortDir = "asc" | "desc";
export type SortSpec = Array<[string, SortDir]>;

export interface ViewState {
  sort: SortSpec;
  filter: string;
  /** Visible columns in display order; null means all, in the frame's order. */
  columns: string[] | null;
  /** Columns pinned to the left. */
  pinned: string[];
}

export const EMPTY_VIEW: ViewState = { sort: [], filter: "", columns: null, pinned: [] };

function parseJsonList(text: string | null): unknown[] | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text);
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Reads the view from a query string. Unknown column names are dropped when `known` is given,
 * so an old link to a changed frame still opens.
 */
export function parseViewState(search: string, known?: ReadonlySet<string>): ViewState {
  const params = new URLSearchParams(search);
  const ok = (name: unknown): name is string =>
    typeof name === "string" && (!known || known.has(name));
  const sort: SortSpec = [];
  for (const item of parseJsonList(params.get("sort")) ?? []) {
    if (Array.isArray(item) && ok(item[0]) && (item[1] === "asc" || item[1] === "desc")) {
      if (!sort.some(([c]) => c === item[0])) sort.push([item[0], item[1]]);
    }
  }
  const cols = parseJsonList(params.get("columns"));
  const columns = cols ? [...new Set(cols.filter(ok))] : null;
  const pinned = [...new Set((parseJsonList(params.get("pinned")) ?? []).filter(ok))];
  return { sort, filter: params.get("filter") ?? "", columns, pinned };
}

/** The query string for `state`, keeping every other parameter of `search` (e.g. `key`). */
export function writeViewState(search: string, state: ViewState): string {
  const params = new URLSearchParams(search);
  const set = (name: string, value: string | null) => {
    if (value === null || value === "") params.delete(name);
    else params.set(name, value);
  };
  set("sort", state.sort.length ? JSON.stringify(state.sort) : null);
  set("filter", state.filter.trim() || null);
  set("columns", state.columns ? JSON.stringify(state.columns) : null);
  set("pinned", state.pinned.length ? JSON.stringify(state.pinned) : null);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Next sort after a header click: asc, desc, none; with `additive` (shift) keep the others. */
export function nextSort(sort: SortSpec, column: string, additive: boolean): SortSpec {
  const current = sort.find(([c]) => c === column)?.[1];
  const next: SortDir | null = current === undefined ? "asc" : current === "asc" ? "desc" : null;
  if (!additive) return next ? [[column, next]] : [];
  const i = sort.findIndex(([c]) => c === column);
  const copy: SortSpec = sort.map(([c, d]) => [c, d]);
  if (i === -1) return next ? [...copy, [column, next]] : copy;
  if (next) copy[i] = [column, next];
  else copy.splice(i, 1);
  return copy;
}

/** The side panel open in the page (issue 15: the Steps panel), from the URL's `panel`. */
export function panelOf(search: string): "steps" | null {
  return new URLSearchParams(search).get("panel") === "steps" ? "steps" : null;
}

/** `search` with `panel` set (or removed for null), every other parameter kept. */
export function withPanel(search: string, panel: "steps" | null): string {
  const params = new URLSearchParams(search);
  if (panel) params.set("panel", panel);
  else params.delete("panel");
  const text = params.toString();
  return text ? `?${text}` : "";
}

// ---- the grid's look (issue 16): formats, highlights, widths, theme --------------------------

export type Theme = "auto" | "light" | "dark";
export const THEMES: readonly Theme[] = ["auto", "light", "dark"];

export interface LookState {
  formats: Formats;
  highlights: HighlightState;
  /** Column widths the user set (px). */
  widths: Record<string, number>;
  theme: Theme;
  /** Exports write the values as the grid shows them (`xf=1`). */
  exportFormatted: boolean;
}

export const EMPTY_LOOK: LookState = { formats: {}, highlights: NO_HIGHLIGHTS, widths: {}, theme: "auto", exportFormatted: false };

function parseJsonObject(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** Reads the look from a query string; what does not fit a known column (or its kind, for a
 * format) is dropped, so an old link still opens. `kinds` maps each column to its kind. */
export function parseLookState(search: string, kinds?: ReadonlyMap<string, string>): LookState {
  const params = new URLSearchParams(search);
  const known = kinds ? new Set(kinds.keys()) : undefined;
  const formats: Formats = {};
  for (const [name, raw] of Object.entries(parseJsonObject(params.get("formats")))) {
    if (known && !known.has(name)) continue;
    const f = checkFormat(raw, kinds?.get(name));
    if (f) formats[name] = f;
  }
  const rules = (parseJsonList(params.get("highlight")) ?? []).map((r) => checkHighlight(r, known)).filter((r): r is Highlight => r !== null);
  const widths: Record<string, number> = {};
  for (const [name, w] of Object.entries(parseJsonObject(params.get("widths")))) {
    if ((!known || known.has(name)) && typeof w === "number" && w >= 20 && w <= 2000) widths[name] = Math.round(w);
  }
  const theme = params.get("theme");
  return {
    formats,
    highlights: { rules, missing: params.get("missing") === "1", heatScope: params.get("heat") === "view" ? "view" : "column" },
    widths,
    theme: THEMES.includes(theme as Theme) ? (theme as Theme) : "auto",
    exportFormatted: params.get("xf") === "1",
  };
}

/** The query string for `look`, keeping every other parameter of `search`. */
export function writeLookState(search: string, look: LookState): string {
  const params = new URLSearchParams(search);
  const set = (name: string, value: string | null) => (value ? params.set(name, value) : params.delete(name));
  set("formats", Object.keys(look.formats).length ? JSON.stringify(look.formats) : null);
  set("highlight", look.highlights.rules.length ? JSON.stringify(look.highlights.rules) : null);
  set("missing", look.highlights.missing ? "1" : null);
  set("heat", look.highlights.heatScope === "view" ? "view" : null);
  set("widths", Object.keys(look.widths).length ? JSON.stringify(look.widths) : null);
  set("theme", look.theme === "auto" ? null : look.theme);
  set("xf", look.exportFormatted ? "1" : null);
  const text = params.toString();
  return text ? `?${text}` : "";
}
