// What the grid's step dialogs ask for (issue 15): per op, add_column kind and summary kind,
// the fields and how their text becomes the step's JSON parameters. The server checks every
// parameter again and names the wrong one; here only the shape (a number, a list) is read.
// Pure, unit-tested.

import type { Kind } from "./format";

export type FieldType =
  | "column" // one column (a select)
  | "columns" // several columns (a multiple select)
  | "choice" // one of `options`
  | "text"
  | "number"
  | "integer"
  | "columnOrNumber" // a column's name, or else a number
  | "countOrList" // a whole number, or numbers separated by commas
  | "textList" // texts separated by commas
  | "pairs" // lines "from -> to"; a `to` of `missing` makes the value missing
  | "flag"; // a checkbox

export interface FieldSpec {
  key: string;
  label: string;
  type: FieldType;
  options?: readonly string[];
  /** The column kinds a column field lists (default: all). */
  kinds?: readonly Kind[];
  optional?: boolean;
  placeholder?: string;
  /** Only these parameters stay out of the body: they are read by `finish`. */
  hint?: string;
}

export interface FormSpec {
  /** The kind's name in the dialog's kind list. */
  label: string;
  /** The fixed part of the body: `{op: "convert"}`, `{op: "add_column", kind: "bins"}`, `{kind: "melt"}`. */
  base: Record<string, unknown>;
  fields: FieldSpec[];
  /** Turns the fields' parameters into the body's (e.g. two lists into aggregations). */
  finish?(params: Record<string, unknown>): Record<string, unknown>;
}

export type RawValues = Record<string, string | string[] | boolean | undefined>;

export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = "FieldError";
  }
}

const NUMERIC: Kind[] = ["int", "float", "bool"];
export const AGGREGATIONS = ["count", "sum", "mean", "median", "min", "max", "std", "nunique", "first", "last"] as const;
export const CONVERT_TO = ["int", "float", "string", "bool", "category", "datetime", "timedelta"] as const;

/** The kinds each conversion accepts (as the server's convert op does). */
const CONVERTS_FROM: Record<string, Kind[] | null> = {
  int: ["int", "float", "bool", "string", "object", "category"],
  float: ["int", "float", "bool", "string", "object", "category"],
  bool: ["int", "float", "bool", "string", "object", "category"],
  string: null,
  category: null,
  datetime: ["int", "float", "string", "object", "category", "datetime"],
  timedelta: ["int", "float", "string", "object", "category", "timedelta"],
};

/** The conversions that fit a column of `kind` (not to its own kind, but text to text). */
export function conversionsFor(kind: Kind): string[] {
  return CONVERT_TO.filter((to) => (CONVERTS_FROM[to] === null || CONVERTS_FROM[to]!.includes(kind)) && to !== kind);
}

const column = (key: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ key, label, type: "column", ...extra });
const choice = (key: string, label: string, options: readonly string[], extra: Partial<FieldSpec> = {}): FieldSpec => ({ key, label, type: "choice", options, ...extra });
const aggregationFields: FieldSpec[] = [
  { key: "agg_columns", label: "Aggregate columns", type: "columns" },
  { key: "agg_functions", label: "With", type: "choice", options: AGGREGATIONS, hint: "multiple" },
];

/** `{column: [functions]}` from the two aggregation fields. */
export function aggregationsOf(params: Record<string, unknown>): Record<string, unknown> {
  const { agg_columns, agg_functions, ...rest } = params;
  const columns = (agg_columns as string[] | undefined) ?? [];
  const functions = (Array.isArray(agg_functions) ? agg_functions : agg_functions ? [agg_functions] : []) as string[];
  if (!columns.length) throw new FieldError("agg_columns", "Choose the columns to aggregate");
  if (!functions.length) throw new FieldError("agg_functions", "Choose at least one aggregation");
  return { ...rest, aggregations: Object.fromEntries(columns.map((c) => [c, functions])) };
}

/** The "Build column" dialog: one spec per add_column kind. */
export const BUILD_KINDS: Record<string, FormSpec> = {
  arithmetic: {
    label: "Arithmetic (a + b, a * 2 …)",
    base: { op: "add_column", kind: "arithmetic" },
    fields: [column("left", "Left", { kinds: NUMERIC }), choice("operator", "Operator", ["+", "-", "*", "/", "//", "%", "**"]),
      { key: "right", label: "Right (column or number)", type: "columnOrNumber", placeholder: "2 or a column" }],
  },
  datetime_part: {
    label: "Part of a date (year, month …)",
    base: { op: "add_column", kind: "datetime_part" },
    fields: [column("column", "Date column", { kinds: ["datetime"] }), choice("part", "Part", ["year", "quarter", "month", "day", "weekday", "hour", "minute", "date"])],
  },
  string: {
    label: "Text (join columns or transform one)",
    base: { op: "add_column", kind: "string" },
    fields: [
      { key: "columns", label: "Join columns", type: "columns", optional: true },
      { key: "sep", label: "Separator", type: "text", optional: true, placeholder: "e.g. -" },
      column("column", "Or transform column", { optional: true }),
      choice("transform", "Transform", ["lower", "upper", "strip", "length", "slice"], { optional: true }),
      { key: "start", label: "Slice start", type: "integer", optional: true },
      { key: "stop", label: "Slice stop", type: "integer", optional: true },
    ],
  },
  bins: {
    label: "Bins of a number",
    base: { op: "add_column", kind: "bins" },
    fields: [column("column", "Column", { kinds: ["int", "float"] }),
      { key: "bins", label: "Bins (a count, or edges 0, 10, 100)", type: "countOrList", optional: true, placeholder: "5" },
      { key: "quantiles", label: "Or equal-frequency bins", type: "integer", optional: true, placeholder: "4" },
      { key: "labels", label: "Labels (optional)", type: "textList", optional: true, placeholder: "low, mid, high" }],
  },
  cumulative: {
    label: "Cumulative (cumsum, rank, diff …)",
    base: { op: "add_column", kind: "cumulative" },
    fields: [choice("function", "Function", ["cumsum", "cumcount", "rank", "diff", "pct_change", "shift"]),
      column("column", "Column", { optional: true }),
      { key: "group", label: "Restart per group of (optional)", type: "columns", optional: true },
      { key: "periods", label: "Periods (diff, pct_change, shift)", type: "integer", optional: true }],
  },
  standardize: {
    label: "Standardize (z-score, min-max, winsorize)",
    base: { op: "add_column", kind: "standardize" },
    fields: [column("column", "Column", { kinds: NUMERIC }), choice("method", "Method", ["zscore", "minmax", "winsorize"])],
  },
  condition: {
    label: "Condition (true where a filter holds)",
    base: { op: "add_column", kind: "condition" },
    fields: [{ key: "filter", label: "Filter", type: "text", placeholder: 'price > 10 and region == "north"' }],
  },
  copy: { label: "Copy of a column", base: { op: "add_column", kind: "copy" }, fields: [column("column", "Column")] },
};
for (const spec of Object.values(BUILD_KINDS)) spec.fields.unshift({ key: "name", label: "New column's name", type: "text" });

/** The "Summarize" dialog: one spec per summary kind (merge and stack name other frames). */
export const SUMMARY_KINDS: Record<string, FormSpec> = {
  groupby: {
    label: "Group by",
    base: { kind: "groupby" },
    fields: [{ key: "by", label: "Group by", type: "columns" }, ...aggregationFields],
    finish: aggregationsOf,
  },
  value_counts: {
    label: "Value counts",
    base: { kind: "value_counts" },
    fields: [{ key: "columns", label: "Columns", type: "columns" }, { key: "normalize", label: "Proportions instead of counts", type: "flag" }],
  },
  pivot: {
    label: "Pivot",
    base: { kind: "pivot" },
    fields: [column("index", "Rows"), column("columns", "Columns"), column("values", "Values"), choice("aggregation", "Aggregation", AGGREGATIONS)],
  },
  resample: {
    label: "Resample by time",
    base: { kind: "resample" },
    fields: [column("on", "Date column", { kinds: ["datetime"] }), choice("freq", "Every", ["hour", "day", "week", "month", "quarter", "year"]), ...aggregationFields],
    finish: aggregationsOf,
  },
  melt: {
    label: "Melt (wide to long)",
    base: { kind: "melt" },
    fields: [{ key: "id_columns", label: "Keep columns", type: "columns" }, { key: "value_columns", label: "Melt columns (default: the rest)", type: "columns", optional: true }],
  },
  transpose: { label: "Transpose", base: { kind: "transpose" }, fields: [] },
  merge: {
    label: "Merge with another frame",
    base: { kind: "merge" },
    fields: [{ key: "right", label: "Other frame (id or name)", type: "text" }, choice("how", "How", ["inner", "left", "right", "outer"]),
      { key: "on", label: "On columns", type: "columns" }],
  },
  stack: {
    label: "Stack other frames below",
    base: { kind: "stack" },
    fields: [{ key: "frames", label: "Other frames (ids or names)", type: "textList" }],
  },
};
for (const spec of Object.values(SUMMARY_KINDS)) spec.fields.push({ key: "name", label: "New frame's name (optional)", type: "text", optional: true });

/** The column menu's ops that need more than a click; the column itself is fixed. */
export const COLUMN_OPS: Record<string, FormSpec> = {
  convert: {
    label: "Convert",
    base: { op: "convert" },
    fields: [choice("to", "To", CONVERT_TO), choice("errors", "Values that do not convert", ["raise", "coerce"]),
      { key: "format", label: "Date format (optional)", type: "text", optional: true, placeholder: "%Y-%m-%d" },
      choice("unit", "Unit of numbers (optional)", ["D", "h", "m", "s", "ms", "us", "ns"], { optional: true })],
  },
  rename: { label: "Rename", base: { op: "rename" }, fields: [{ key: "to", label: "New name", type: "text" }] },
  move: { label: "Move", base: { op: "move" }, fields: [{ key: "to", label: "To position (0 is first)", type: "integer" }] },
  fill_missing: {
    label: "Fill missing",
    base: { op: "fill_missing" },
    fields: [{ key: "value", label: "With the value", type: "text", optional: true },
      choice("method", "Or by", ["ffill", "bfill", "mean", "median", "mode"], { optional: true })],
  },
  replace: {
    label: "Replace values",
    base: { op: "replace" },
    fields: [{ key: "values", label: "One per line: from -> to (to: missing)", type: "pairs", placeholder: "-999 -> missing\nN/A -> missing" }],
  },
};

function parseNumber(field: string, text: string, integer: boolean): number {
  const n = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(n)) throw new FieldError(field, `"${text}" is not a number`);
  if (integer && !Number.isInteger(n)) throw new FieldError(field, `"${text}" is not a whole number`);
  return n;
}

function splitList(text: string): string[] {
  return text.split(",").map((t) => t.trim()).filter((t) => t !== "");
}

/** One field's parameter from its raw value; undefined leaves it out of the body. */
export function readField(field: FieldSpec, raw: RawValues[string], columns: readonly string[]): unknown {
  if (field.type === "flag") return raw === true;
  if (Array.isArray(raw)) {
    if (!raw.length && !field.optional) throw new FieldError(field.key, `Choose at least one for "${field.label}"`);
    return raw.length ? (field.type === "choice" ? raw : [...raw]) : undefined;
  }
  const text = typeof raw === "string" ? raw : "";
  if (text.trim() === "" && field.type !== "text") {
    if (field.optional) return undefined;
    throw new FieldError(field.key, `"${field.label}" is needed`);
  }
  switch (field.type) {
    case "number":
    case "integer":
      return parseNumber(field.key, text, field.type === "integer");
    case "columnOrNumber":
      return columns.includes(text) ? text : parseNumber(field.key, text, false);
    case "countOrList": {
      const parts = splitList(text);
      return parts.length === 1 ? parseNumber(field.key, parts[0], true) : parts.map((p) => parseNumber(field.key, p, false));
    }
    case "textList":
      return splitList(text);
    case "pairs":
      return readPairs(field.key, text);
    case "text":
      if (text === "" && field.optional) return undefined;
      if (text === "") throw new FieldError(field.key, `"${field.label}" is needed`);
      return text;
    default:
      return text;
  }
}

/** `from -> to` lines as [from, to] pairs; `missing` as a `to` is null (a missing value). */
export function readPairs(field: string, text: string): Array<[string, string | null]> {
  const pairs: Array<[string, string | null]> = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const at = line.indexOf("->");
    if (at < 0) throw new FieldError(field, `"${line.trim()}" needs "->" between the value and its replacement`);
    const to = line.slice(at + 2).trim();
    pairs.push([line.slice(0, at).trim(), to === "missing" ? null : to]);
  }
  if (!pairs.length) throw new FieldError(field, "Write at least one line: from -> to");
  return pairs;
}

/** The step's (or summary's) JSON body from the form's raw values. */
export function buildBody(spec: FormSpec, raw: RawValues, columns: readonly string[], fixed: Record<string, unknown> = {}): Record<string, unknown> {
  let params: Record<string, unknown> = {};
  for (const field of spec.fields) {
    if (field.key in fixed) continue;
    const value = readField(field, raw[field.key], columns);
    if (value !== undefined) params[field.key] = value;
  }
  if (spec.finish) params = spec.finish(params);
  return { ...spec.base, ...fixed, ...params };
}
