// Column formats (issue 16): numbers (decimals, thousands, percent, scientific, currency) and
// dates (a pattern of YYYY, YY, MMM, MM, DD, HH, mm, ss). The same rules as the server's
// dtale_lite/frames/formats.py, which formats the export "as formatted"; both are tested on
// test/format-cases.json. Rounding is half away from zero on the exact binary value, which is
// what toFixed and toExponential do (Python's Decimal with ROUND_HALF_UP). Pure, unit-tested.

export interface NumberFormat {
  /** 0..12; absent: up to 6, trailing zeros dropped. */
  decimals?: number;
  thousands?: boolean;
  percent?: boolean;
  scientific?: boolean;
  /** Up to 4 characters before the digits (after a minus sign). */
  currency?: string;
}

export interface DateFormat {
  date: string;
}

export type ColumnFormat = NumberFormat | DateFormat;
export type Formats = Record<string, ColumnFormat>;

export const MAX_DECIMALS = 12;
export const DATE_TOKENS = ["YYYY", "MMM", "YY", "MM", "DD", "HH", "mm", "ss"] as const;
export const DATE_LITERALS = " -/.:,T";
export const DATE_PRESETS = ["YYYY-MM-DD", "YYYY-MM-DD HH:mm", "DD/MM/YYYY", "MM/DD/YYYY", "DD MMM YYYY", "HH:mm:ss"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const ISO = /^(-?\d{4,})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?/;

export function isDateFormat(f: ColumnFormat): f is DateFormat {
  return typeof (f as DateFormat).date === "string";
}

/** The pattern as tokens and literal characters, or null if it has anything else. */
export function dateTokens(pattern: string): string[] | null {
  if (!pattern || pattern.length > 40) return null;
  const out: string[] = [];
  let i = 0;
  while (i < pattern.length) {
    let token: string | undefined = DATE_TOKENS.find((t) => pattern.startsWith(t, i));
    if (token === undefined) {
      if (!DATE_LITERALS.includes(pattern[i])) return null;
      token = pattern[i];
    }
    out.push(token);
    i += token.length;
  }
  return out;
}

function group(body: string): string {
  const [whole, fraction] = body.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export function formatNumber(value: number, f: NumberFormat): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const x = f.percent ? value * 100 : value;
  const a = Math.abs(x);
  let body: string;
  if (f.scientific || a >= 1e21) {
    body = a.toExponential(f.decimals ?? 6);
    if (f.decimals === undefined) body = body.replace(/\.?0+e/, "e");
  } else {
    body = a.toFixed(f.decimals ?? 6);
    if (f.decimals === undefined && body.includes(".")) body = body.replace(/0+$/, "").replace(/\.$/, "");
    if (f.thousands) body = group(body);
  }
  const negative = x < 0 && /[1-9]/.test(body.split("e")[0]);
  return `${negative ? "-" : ""}${f.currency ?? ""}${body}${f.percent ? "%" : ""}`;
}

/** An ISO 8601 text (the API's form of a datetime, in its own zone) under `pattern`. */
export function formatDate(text: string, pattern: string): string {
  const m = ISO.exec(text);
  const tokens = dateTokens(pattern);
  if (!m || !tokens) return text;
  const [, year, month, day, hour = "00", minute = "00", second = "00"] = m;
  if (+month < 1 || +month > 12) return text;
  const parts: Record<string, string> = {
    YYYY: year, YY: year.slice(-2), MMM: MONTHS[+month - 1], MM: month, DD: day, HH: hour, mm: minute, ss: second,
  };
  return tokens.map((t) => parts[t] ?? t).join("");
}

/** The text of a value under a format; null when the format does not apply (the grid then
 * shows it as usual: missing values, text in a number column, a value that is not a date). */
export function formatWith(value: unknown, f: ColumnFormat): string | null {
  if (value === null || value === undefined) return null;
  if (isDateFormat(f)) return typeof value === "string" ? formatDate(value, f.date) : null;
  return typeof value === "number" ? formatNumber(value, f) : null;
}

/** A checked format (or null) from what the URL holds; the fields the server takes. */
export function checkFormat(raw: unknown, kind: string | undefined): ColumnFormat | null {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.date === "string") return kind === "datetime" && dateTokens(r.date) ? { date: r.date } : null;
  if (kind !== undefined && kind !== "int" && kind !== "float") return null;
  const out: NumberFormat = {};
  if (Number.isInteger(r.decimals) && (r.decimals as number) >= 0 && (r.decimals as number) <= MAX_DECIMALS) out.decimals = r.decimals as number;
  for (const flag of ["thousands", "percent", "scientific"] as const) if (r[flag] === true) out[flag] = true;
  if (out.percent && out.scientific) delete out.scientific;
  if (typeof r.currency === "string" && r.currency && r.currency.length <= 4 && !/[\d+\-.,eE]/.test(r.currency)) out.currency = r.currency;
  return Object.keys(out).length ? out : null;
}
