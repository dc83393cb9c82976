// The grid's look (issue 16) wired to the page: column formats, highlights, widths and the
// theme, kept in the URL (url-state.ts) and applied to the grid's cells (grid-columns.ts reads
// `formatOf`, `cellLook` and `widthOf`). Highlights that need a column's figures (heat maps,
// outliers) read them from the describe route over the view's filter, and again when the
// filter changes.

import type { GridApi } from "ag-grid-community";
import type { ColumnInfo, Describe } from "./api-client";
import type { ColumnFormat } from "./col-format";
import { isNumericKind } from "./format";
import { cellLook, type CellLook, type ColumnStats, type Highlight } from "./highlight";
import { writeLookState, type LookState, type Theme } from "./url-state";

export const THEME_STORAGE_KEY = "dtale-lite-theme";
/** Heat maps over the view's range read at most this many columns' figures. */
export const VIEW_HEAT_COLUMNS = 50;

export interface LookOptions {
  win: Window;
  look: LookState;
  describe(column: string, filter: string): Promise<Describe>;
  columns(): ColumnInfo[];
  /** The visible columns now. */
  visible(): string[];
  filter(): string;
  grid(): GridApi | null;
  /** The look changed: the toolbar's links follow (chart links carry the theme, exports the formats). */
  onChange(): void;
}

export interface Look {
  readonly state: LookState;
  formatOf(column: string): ColumnFormat | undefined;
  cellLook(column: string, value: unknown): CellLook | null;
  widthOf(column: string): number | undefined;
  setFormat(column: string, format: ColumnFormat | null): void;
  addRule(rule: Highlight): void;
  /** Removes the column's rules of `type` (all of them without one). */
  clearRules(column: string, type?: Highlight["type"]): void;
  hasRule(column: string, type: Highlight["type"]): boolean;
  setMissing(on: boolean): void;
  setHeatScope(scope: "column" | "view"): void;
  setTheme(theme: Theme): void;
  /** Exports as the grid shows the values, or not (kept in the URL). */
  setExportFormatted(on: boolean): void;
  /** The user resized these columns to these widths. */
  setWidths(widths: Array<[string, number]>): void;
  resetWidths(): void;
  clearAll(): void;
  /** The view's filter may have changed: read the figures again if so. */
  viewChanged(): void;
  /** "dark" or "light": the theme in effect. */
  effectiveTheme(): "dark" | "light";
}

export function createLook({ win, look, describe, columns, visible, filter, grid, onChange }: LookOptions): Look {
  const stats = new Map<string, ColumnStats>();
  let statsFilter: string | null = null;
  const media = win.matchMedia?.("(prefers-color-scheme: dark)");
  if (look.theme === "auto") look.theme = storedTheme(win);

  const effectiveTheme = () => (look.theme === "auto" ? (media?.matches ? "dark" : "light") : look.theme);
  const applyTheme = () => showTheme(win, look.theme);
  media?.addEventListener?.("change", applyTheme);
  applyTheme();

  function save() {
    try {
      win.history.replaceState(win.history.state, "", `${win.location.pathname}${writeLookState(win.location.search, look)}${win.location.hash}`);
    } catch {
      // A sandboxed iframe may refuse; the look still applies, only the link does not follow.
    }
    onChange();
  }

  function redraw() {
    grid()?.refreshCells({ force: true });
  }

  /** The columns whose figures the highlights need now. */
  function wanted(): string[] {
    const kinds = new Map(columns().map((c) => [c.name, c.kind]));
    const rules = look.highlights.rules.filter((r) => r.type !== "range" && isNumericKind(kinds.get(r.column) ?? ""));
    const names = new Set(rules.map((r) => r.column));
    if (look.highlights.heatScope === "view" && rules.some((r) => r.type === "heatmap")) {
      visible().filter((n) => isNumericKind(kinds.get(n) ?? "")).slice(0, VIEW_HEAT_COLUMNS).forEach((n) => names.add(n));
    }
    return [...names];
  }

  function loadStats(force = false) {
    const now = filter();
    if (force || now !== statsFilter) {
      stats.clear();
      statsFilter = now;
    }
    const missing = wanted().filter((n) => !stats.has(n));
    if (!missing.length) return redraw();
    void Promise.allSettled(missing.map((name) => describe(name, now).then((d) => {
      if (statsFilter === now) stats.set(name, pick(d)); // else: a newer filter's figures come
    }))).then(() => {
      if (statsFilter === now) redraw();
    });
  }

  const api: Look = {
    state: look,
    formatOf: (column) => look.formats[column],
    cellLook: (column, value) => (look.highlights.rules.length || look.highlights.missing ? cellLook(column, value, look.highlights, stats) : null),
    widthOf: (column) => look.widths[column],
    setFormat(column, format) {
      if (format) look.formats[column] = format;
      else delete look.formats[column];
      save();
      redraw();
    },
    addRule(rule) {
      // One heat map and one outlier rule per column; range rules add up.
      if (rule.type !== "range") api.clearRules(rule.column, rule.type);
      look.highlights = { ...look.highlights, rules: [...look.highlights.rules, rule] };
      save();
      loadStats();
    },
    clearRules(column, type) {
      look.highlights = { ...look.highlights, rules: look.highlights.rules.filter((r) => r.column !== column || (type !== undefined && r.type !== type)) };
      save();
      redraw();
    },
    hasRule: (column, type) => look.highlights.rules.some((r) => r.column === column && r.type === type),
    setMissing(on) {
      look.highlights = { ...look.highlights, missing: on };
      save();
      redraw();
    },
    setHeatScope(scope) {
      look.highlights = { ...look.highlights, heatScope: scope };
      save();
      loadStats();
    },
    setTheme(theme) {
      look.theme = theme;
      const storage = safeStorage(win);
      if (theme === "auto") storage?.removeItem(THEME_STORAGE_KEY);
      else storage?.setItem(THEME_STORAGE_KEY, theme);
      applyTheme();
      save();
    },
    setExportFormatted(on) {
      look.exportFormatted = on;
      save();
    },
    setWidths(widths) {
      const known = new Set(columns().map((c) => c.name));
      for (const [name, width] of widths) if (known.has(name)) look.widths[name] = Math.round(width);
      save();
    },
    resetWidths() {
      look.widths = {};
      save();
    },
    clearAll() {
      look.formats = {};
      look.highlights = { rules: [], missing: false, heatScope: "column" };
      save();
      redraw();
    },
    viewChanged: () => loadStats(),
    effectiveTheme,
  };

  loadStats(true);
  return api;
}

/** The theme saved by the View menu in this browser ("auto" when none). */
export function storedTheme(win: Window): Theme {
  const stored = safeStorage(win)?.getItem(THEME_STORAGE_KEY);
  return stored === "light" || stored === "dark" ? stored : "auto";
}

/** Shows `theme`: data-theme on <html> for the page's colours (styles.css), and AG Grid's
 * mode on <body>; "auto" follows the system's colour scheme. */
export function showTheme(win: Window, theme: Theme): void {
  const root = win.document.documentElement;
  if (theme === "auto") delete root.dataset.theme;
  else root.dataset.theme = theme;
  const dark = theme === "dark" || (theme === "auto" && !!win.matchMedia?.("(prefers-color-scheme: dark)").matches);
  win.document.body.dataset.agThemeMode = dark ? "dark" : "light";
}

function pick(d: Describe): ColumnStats {
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  return { min: num(d.min), max: num(d.max), q25: num(d.q25), q75: num(d.q75) };
}

function safeStorage(win: Window): Storage | null {
  try {
    return win.localStorage;
  } catch {
    return null; // storage blocked (a sandboxed iframe, some privacy settings)
  }
}
