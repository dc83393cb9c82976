// Value and count formatting for the grid. Pure: no DOM, unit-tested.

export type Kind =
  | "int"
  | "float"
  | "bool"
  | "string"
  | "category"
  | "datetime"
  | "timedelta"
  | "object";

export const TRUNCATION_MARKER = "…[truncated]";
/** Characters shown in a cell; the full value goes to the cell's title. */
export const CELL_TEXT_LIMIT = 200;

const thousands = new Intl.NumberFormat("en-US");

export function formatCount(n: number): string {
  return thousands.format(n);
}

/** "5,000,000 rows" or, under a filter, "1,234,567 of 5,000,000 rows"; a count the engine
 * only estimated reads "about 1,234,567 ..." (`exact` false for the view's count, `frameExact`
 * for the whole frame's). */
export function rowCountText(total: number | null, frameRows: number, filtered: boolean, exact = true, frameExact = true): string {
  const noun = (n: number) => (n === 1 ? "row" : "rows");
  const about = (ok: boolean) => (ok ? "" : "about ");
  if (total === null) return `${about(frameExact)}${formatCount(frameRows)} ${noun(frameRows)}`;
  if (!filtered) return `${about(exact)}${formatCount(total)} ${noun(total)}`;
  return `${about(exact)}${formatCount(total)} of ${about(frameExact)}${formatCount(frameRows)} ${noun(frameRows)}`;
}

/** A describe figure the engine estimated (listed in `approximate`) is shown as "≈ value". */
export function aboutText(text: string, approximate: readonly string[] | undefined, key: string): string {
  return approximate?.includes(key) ? `≈ ${text}` : text;
}

export function isNumericKind(kind: string): boolean {
  return kind === "int" || kind === "float";
}

export interface CellText {
  text: string;
  /** Full value for the hover title, when the text is cut or long. */
  title?: string;
  /** "null" for missing values, "empty" for the empty string, "" otherwise. */
  variant: "" | "null" | "empty";
}

export function formatFloat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e15 || a < 1e-5) return x.toExponential(6).replace(/\.?0+e/, "e");
  // Up to 6 decimals, without trailing zeros.
  return x.toFixed(6).replace(/\.?0+$/, "");
}

/** Text of one cell as the grid shows it. `null` stands for NaN/NaT/None. */
export function formatValue(value: unknown, kind: string): CellText {
  if (value === null || value === undefined) return { text: "null", variant: "null" };
  if (typeof value === "number") {
    const text = kind === "float" || !Number.isInteger(value) ? formatFloat(value) : String(value);
    return text === String(value) ? { text, variant: "" } : { text, title: String(value), variant: "" };
  }
  if (typeof value === "boolean") return { text: value ? "true" : "false", variant: "" };
  const s = typeof value === "string" ? value : JSON.stringify(value);
  if (s === "") return { text: '""', variant: "empty" };
  if (kind === "datetime" && /^\d{4}-\d\d-\d\dT/.test(s)) {
    return { text: s.replace("T", " "), variant: "" };
  }
  if (s.length > CELL_TEXT_LIMIT) return { text: s.slice(0, CELL_TEXT_LIMIT) + "…", title: s, variant: "" };
  if (s.length > 24 || s.endsWith(TRUNCATION_MARKER)) return { text: s, title: s, variant: "" };
  return { text: s, variant: "" };
}

/** Raw text of a value for copying (TSV): null is the empty string, no rounding. */
export function rawText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Short label shown as a badge in the header. */
export function kindBadge(kind: string): string {
  switch (kind) {
    case "int":
      return "int";
    case "float":
      return "float";
    case "bool":
      return "bool";
    case "string":
      return "str";
    case "category":
      return "cat";
    case "datetime":
      return "date";
    case "timedelta":
      return "span";
    default:
      return "obj";
  }
}
