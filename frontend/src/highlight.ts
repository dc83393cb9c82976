// Cell highlighting (issue 16): heat maps of numeric columns, missing cells, outlier cells and
// range rules, kept in the URL (url-state.ts). Which colour a cell gets is decided here from
// the cell's value and its column's figures (min, max, quartiles: the describe route's, over
// the view's filter). Pure, unit-tested.

export type RangeOp = "<" | ">" | "between" | "=";
export const RANGE_OPS: readonly RangeOp[] = ["<", ">", "between", "="];

export type Highlight =
  | { type: "heatmap"; column: string }
  | { type: "outliers"; column: string }
  | { type: "range"; column: string; op: RangeOp; value: string; value2?: string; color: string };

export interface HighlightState {
  rules: Highlight[];
  /** Missing cells of every column. */
  missing: boolean;
  /** Heat maps over each column's own min..max ("column") or the view's numeric columns' ("view"). */
  heatScope: "column" | "view";
}

export const NO_HIGHLIGHTS: HighlightState = { rules: [], missing: false, heatScope: "column" };

/** Colours a range rule may use: light fills that keep dark text readable in both themes. */
export const RANGE_COLORS: Record<string, string> = {
  yellow: "#fde68a",
  green: "#bbf7d0",
  red: "#fecaca",
  blue: "#bfdbfe",
  purple: "#e9d5ff",
};
export const OUTLIER_COLOR = "#f5d0fe";
export const MISSING_COLOR = "#fee2e2";
/** Text on a highlighted cell: dark on every fill above (contrast >= 4.5 in both themes). */
export const HIGHLIGHT_TEXT = "#111111";

/** The figures a column's highlights need (from GET .../describe). */
export interface ColumnStats {
  min?: number;
  max?: number;
  q25?: number;
  q75?: number;
}

export interface CellLook {
  background: string;
  color: string;
  /** What coloured the cell (a test hook: data-highlight). */
  tag: "range" | "outlier" | "heatmap" | "missing";
}

// Heat map stops (a light yellow to orange-red ramp): the green channel falls at every step,
// so a larger value is always a "hotter" cell.
const HEAT_STOPS: Array<[number, number, number]> = [[255, 247, 188], [254, 196, 79], [240, 100, 50]];

/** The heat map colour at t in 0..1 (clamped). */
export function heatColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (HEAT_STOPS.length - 1);
  const i = Math.min(HEAT_STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [HEAT_STOPS[i], HEAT_STOPS[i + 1]];
  const mix = (k: number) => Math.round(a[k] + (b[k] - a[k]) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

/** IQR fences: Q1 - 1.5 IQR and Q3 + 1.5 IQR (describe's outlier rule). */
export function outlierFences(q25: number, q75: number): [number, number] {
  const iqr = q75 - q25;
  return [q25 - 1.5 * iqr, q75 + 1.5 * iqr];
}

function compare(value: unknown, text: string): number | null {
  const n = Number(text);
  if (typeof value === "number" && text.trim() !== "" && Number.isFinite(n)) return value - n;
  if (typeof value === "string") return value < text ? -1 : value > text ? 1 : 0;
  return null;
}

/** Whether a range rule holds for `value` (numbers numerically, text and dates as text). */
export function rangeMatches(rule: Extract<Highlight, { type: "range" }>, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (rule.op === "=") {
    const c = compare(value, rule.value);
    return c === 0 || String(value) === rule.value;
  }
  const c = compare(value, rule.value);
  if (c === null) return false;
  if (rule.op === "<") return c < 0;
  if (rule.op === ">") return c > 0;
  const c2 = compare(value, rule.value2 ?? "");
  return c2 !== null && c >= 0 && c2 <= 0;
}

/** The range a column's heat map spans: its own, or (scope "view") that of all `stats`. */
export function heatRange(column: string, stats: ReadonlyMap<string, ColumnStats>, scope: HighlightState["heatScope"]): [number, number] | null {
  const pool = scope === "view" ? [...stats.values()] : [stats.get(column)].filter((s): s is ColumnStats => !!s);
  const mins = pool.map((s) => s.min).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  const maxs = pool.map((s) => s.max).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  return mins.length && maxs.length ? [Math.min(...mins), Math.max(...maxs)] : null;
}

/** The look of one cell, or null for none. Range rules first (in their order), then outliers,
 * then the heat map, then missing cells. */
export function cellLook(column: string, value: unknown, state: HighlightState, stats: ReadonlyMap<string, ColumnStats>): CellLook | null {
  const rules = state.rules.filter((r) => r.column === column);
  for (const rule of rules) {
    if (rule.type === "range" && rangeMatches(rule, value)) return { background: rule.color, color: HIGHLIGHT_TEXT, tag: "range" };
  }
  const own = stats.get(column);
  if (typeof value === "number" && rules.some((r) => r.type === "outliers") && typeof own?.q25 === "number" && typeof own?.q75 === "number") {
    const [low, high] = outlierFences(own.q25, own.q75);
    if (value < low || value > high) return { background: OUTLIER_COLOR, color: HIGHLIGHT_TEXT, tag: "outlier" };
  }
  if (typeof value === "number" && rules.some((r) => r.type === "heatmap")) {
    const range = heatRange(column, stats, state.heatScope);
    if (range) {
      const t = range[1] > range[0] ? (value - range[0]) / (range[1] - range[0]) : 0.5;
      return { background: heatColor(t), color: HIGHLIGHT_TEXT, tag: "heatmap" };
    }
  }
  if (state.missing && (value === null || value === undefined)) return { background: MISSING_COLOR, color: HIGHLIGHT_TEXT, tag: "missing" };
  return null;
}

/** A checked rule from what the URL holds (null: drop it). */
export function checkHighlight(raw: unknown, known?: ReadonlySet<string>): Highlight | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.column !== "string" || (known && !known.has(r.column))) return null;
  if (r.type === "heatmap" || r.type === "outliers") return { type: r.type, column: r.column };
  if (r.type !== "range" || !RANGE_OPS.includes(r.op as RangeOp) || typeof r.value !== "string") return null;
  if (typeof r.color !== "string" || !/^#[0-9a-fA-F]{6}$/.test(r.color)) return null;
  if (r.op === "between" && typeof r.value2 !== "string") return null;
  const rule: Highlight = { type: "range", column: r.column, op: r.op as RangeOp, value: r.value, color: r.color };
  if (r.op === "between") rule.value2 = r.value2 as string;
  return rule;
}
