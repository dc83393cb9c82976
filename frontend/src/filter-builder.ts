// Writes clauses of the server's filter language from column-menu choices, so the bar
// shows people the language they could have typed. Pure, unit-tested.

import type { Kind } from "./format";

const KEYWORDS = new Set([
  "and", "or", "not", "in", "is", "null", "true", "false", "contains", "startswith", "endswith",
]);

/** A column reference: bare when it is a plain identifier, otherwise in backquotes
 * (a backquote inside is doubled, as the server's grammar says). */
export function quoteColumn(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !KEYWORDS.has(name.toLowerCase())) return name;
  return "`" + name.replace(/`/g, "``") + "`";
}

export function stringLiteral(s: string): string {
  return '"' + s.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
}

export class FilterInputError extends Error {}

/** A literal of the column's kind from what a person typed in a menu box. */
export function literalFor(kind: Kind | string, raw: string): string {
  const text = raw.trim();
  if (kind === "int" || kind === "float") {
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
      throw new FilterInputError(`"${raw}" is not a number`);
    }
    return text.replace(/^\+/, "");
  }
  if (kind === "bool") {
    const t = text.toLowerCase();
    if (t !== "true" && t !== "false") throw new FilterInputError(`"${raw}" is not true or false`);
    return t;
  }
  return stringLiteral(kind === "datetime" ? text : raw);
}

export type Op =
  | "==" | "!=" | ">" | ">=" | "<" | "<="
  | "between" | "in" | "contains" | "startswith" | "endswith"
  | "is null" | "is not null" | "is true" | "is false";

export interface ClauseSpec {
  column: string;
  kind: Kind | string;
  op: Op;
  value?: string;
  value2?: string;
  values?: string[];
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day after a date written as YYYY-MM-DD, or null when `raw` is not a date alone (a time
 * or a zone in it, or no such day). */
export function dayAfter(raw: string): string | null {
  const m = DATE_ONLY.exec(raw.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  day.setUTCDate(d + 1);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(day.getUTCFullYear(), 4)}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
}

/** A date-only value in the menu of a datetime column means that whole day (issue 17): the
 * grammar reads "2024-02-10" as its midnight, so "<= 2024-02-10" would leave out the rest of
 * the 10th. The clause is written with the next day's midnight instead, in the language a
 * person could have typed; null when the value has a time (then it means that instant). */
function wholeDayClause(col: string, spec: ClauseSpec): string | null {
  if (spec.kind !== "datetime") return null;
  const day = (raw: string | undefined) => stringLiteral((raw ?? "").trim());
  const upper = spec.op === "between" ? spec.value2 : spec.value;
  const next = dayAfter(upper ?? "");
  if (next === null) return null;
  switch (spec.op) {
    case "between":
      return `${col} >= ${literalFor(spec.kind, spec.value ?? "")} and ${col} < ${stringLiteral(next)}`;
    case "<=":
      return `${col} < ${stringLiteral(next)}`;
    case ">":
      return `${col} >= ${stringLiteral(next)}`;
    case "==":
      return `${col} >= ${day(spec.value)} and ${col} < ${stringLiteral(next)}`;
    case "!=":
      // The negation of "==", so that missing dates are kept, as "!=" keeps them.
      return `not (${col} >= ${day(spec.value)} and ${col} < ${stringLiteral(next)})`;
    default:
      return null; // ">=" and "<" a date already mean from or before its midnight
  }
}

export function buildClause(spec: ClauseSpec): string {
  const col = quoteColumn(spec.column);
  const lit = (raw: string | undefined) => literalFor(spec.kind, raw ?? "");
  const wholeDay = wholeDayClause(col, spec);
  if (wholeDay !== null) return wholeDay;
  switch (spec.op) {
    case "is null":
    case "is not null":
      return `${col} ${spec.op}`;
    case "is true":
      return `${col} == true`;
    case "is false":
      return `${col} == false`;
    case "between":
      return `${col} >= ${lit(spec.value)} and ${col} <= ${lit(spec.value2)}`;
    case "in": {
      const values = (spec.values ?? []).filter((v) => v !== "");
      if (values.length === 0) throw new FilterInputError("pick at least one value");
      return `${col} in [${values.map((v) => lit(v)).join(", ")}]`;
    }
    case "contains":
    case "startswith":
    case "endswith":
      return `${col} ${spec.op} ${stringLiteral(spec.value ?? "")}`;
    default:
      return `${col} ${spec.op} ${lit(spec.value)}`;
  }
}

/** True when `text` has a top-level ` or ` (outside strings, backquotes and brackets). */
function hasTopLevelOr(text: string): boolean {
  let depth = 0;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (depth === 0 && /\s/.test(c) && /^or\s/i.test(text.slice(i + 1, i + 4))) return true;
  }
  return false;
}

/** The bar's filter with `clause` added (and-ed), keeping `or` groups intact. */
export function combineFilters(existing: string, clause: string): string {
  const current = existing.trim();
  if (!current) return clause;
  const left = hasTopLevelOr(current) ? `(${current})` : current;
  const right = hasTopLevelOr(clause) ? `(${clause})` : clause;
  return `${left} and ${right}`;
}

/** Menu operations offered for a column kind, as [op, label] pairs. */
export function opsForKind(kind: Kind | string): Array<[Op, string]> {
  const missing: Array<[Op, string]> = [["is null", "is missing"], ["is not null", "is not missing"]];
  if (kind === "int" || kind === "float" || kind === "datetime" || kind === "timedelta") {
    return [
      ["==", "="], ["!=", "≠"], [">", ">"], [">=", "≥"], ["<", "<"], ["<=", "≤"],
      ["between", "between"], ...missing,
    ];
  }
  if (kind === "bool") return [["is true", "is true"], ["is false", "is false"], ...missing];
  return [
    ["==", "equals"], ["!=", "not equals"], ["in", "in (comma separated)"],
    ["contains", "contains"], ["startswith", "starts with"], ["endswith", "ends with"], ...missing,
  ];
}

/** Splits "a, b, c" into values; a value may be double-quoted to keep a comma. */
export function splitValues(text: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*))\s*(?:,|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0] === "") break;
    const v = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? "").trim();
    if (v !== "" || m[1] !== undefined) out.push(v);
    if (re.lastIndex >= text.length) break;
  }
  return out;
}
