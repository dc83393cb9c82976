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

export function buildClause(spec: ClauseSpec): string {
  const col = quoteColumn(spec.column);
  const lit = (raw: string | undefined) => literalFor(spec.kind, raw ?? "");
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
