// Links into the chart builder (issue 6): the query parameters of a chart of the grid's view or
// of one of its columns, with the same names as the chart page and route (`type`, `x`, `y`...).
// Pure: no DOM and no root or key (the API client adds those); unit-tested.

import type { Kind } from "./format";

export type ChartType = "bar" | "line" | "scatter" | "histogram" | "box" | "heatmap" | "pie" | "density";
export type CorrelationMethod = "pearson" | "spearman";
/** The analysis pages (issue 16), in the order of the toolbar's Analyze menu. */
export const ANALYSIS_PAGES = ["missing", "outliers", "duplicates", "timeseries"] as const;
export type AnalysisPage = (typeof ANALYSIS_PAGES)[number];
export const ANALYSIS_LABELS: Record<AnalysisPage, string> = {
  missing: "Missing values",
  outliers: "Outliers",
  duplicates: "Duplicates",
  timeseries: "Time series",
};

/** A chart's settings as the chart page reads them from its URL; unset ones are left out. */
export interface ChartSettings {
  type?: ChartType;
  x?: string;
  /** One series or several (a repeated `y` parameter). */
  y?: string | readonly string[];
  z?: string;
  agg?: string;
  group?: string;
  freq?: string;
  bins?: number;
  log_x?: boolean;
  log_y?: boolean;
  barmode?: "group" | "stack";
  /** Filter-language text; empty means no filter. */
  filter?: string;
}

export type QueryPairs = Array<[string, string]>;

/** Kinds whose chart is a histogram of their values; every other kind gets a bar of counts. */
const HISTOGRAM_KINDS: ReadonlySet<Kind> = new Set<Kind>(["int", "float", "datetime", "timedelta"]);

function filterPair(filter: string | undefined): QueryPairs {
  const text = filter?.trim();
  return text ? [["filter", text]] : [];
}

/** The query parameters of `settings`, in the page's order; repeated `y`, booleans as 1/0. */
export function chartParams(settings: ChartSettings): QueryPairs {
  const out: QueryPairs = [];
  const add = (name: string, value: string | number | boolean | undefined) => {
    if (value === undefined) return;
    out.push([name, typeof value === "boolean" ? (value ? "1" : "0") : String(value)]);
  };
  add("type", settings.type);
  add("x", settings.x);
  const ys = settings.y === undefined ? [] : typeof settings.y === "string" ? [settings.y] : settings.y;
  ys.forEach((y) => add("y", y));
  add("z", settings.z);
  add("agg", settings.agg);
  add("group", settings.group);
  add("freq", settings.freq);
  add("bins", settings.bins);
  add("log_x", settings.log_x);
  add("log_y", settings.log_y);
  add("barmode", settings.barmode);
  out.push(...filterPair(settings.filter));
  return out;
}

/** "Chart this view": the chart page's own first chart, over the grid's filtered rows. */
export function viewChart(filter: string): ChartSettings {
  return { filter };
}

/**
 * "Chart this column": a histogram of a number, date or duration column, a bar of the value
 * counts of any other column (text, category, bool, object), over the grid's filtered rows.
 */
export function columnChart(column: { name: string; kind: Kind }, filter: string): ChartSettings {
  return { type: HISTOGRAM_KINDS.has(column.kind) ? "histogram" : "bar", x: column.name, filter };
}

/** The query parameters of the correlations page; the method only when one is chosen. */
export function correlationsParams(filter: string, method?: CorrelationMethod): QueryPairs {
  return [...(method ? ([["method", method]] as QueryPairs) : []), ...filterPair(filter)];
}

/** The query parameters of an analysis page: the grid's filter, the page chooses the rest. */
export function analysisParams(filter: string): QueryPairs {
  return filterPair(filter);
}
