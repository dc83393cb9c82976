import { describe, expect, it } from "vitest";
import { FilterInputError, buildClause, combineFilters, dayAfter, literalFor, opsForKind, quoteColumn, splitValues, stringLiteral } from "../src/filter-builder";

describe("quoting", () => {
  it("leaves identifiers bare and backquotes the rest", () => {
    expect(quoteColumn("f1")).toBe("f1");
    expect(quoteColumn("my col")).toBe("`my col`");
    expect(quoteColumn("1st")).toBe("`1st`");
    expect(quoteColumn("and")).toBe("`and`");
    expect(quoteColumn("a`b")).toBe("`a``b`");
    expect(quoteColumn("a.b")).toBe("a.b");
    expect(quoteColumn("endswith")).toBe("`endswith`");
    expect(quoteColumn("a / b")).toBe("`a / b`");
  });
  it("escapes string literals", () => {
    expect(stringLiteral('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
  });
  it("checks numbers and booleans", () => {
    expect(literalFor("float", " -0.5 ")).toBe("-0.5");
    expect(literalFor("int", "+3")).toBe("3");
    expect(literalFor("float", "1e-3")).toBe("1e-3");
    expect(() => literalFor("int", "abc")).toThrow(FilterInputError);
    expect(() => literalFor("int", "1; drop")).toThrow(FilterInputError);
    expect(literalFor("bool", "True")).toBe("true");
    expect(literalFor("datetime", " 2021-06-01 ")).toBe('"2021-06-01"');
  });
});

describe("clauses in the filter language of the API", () => {
  it("writes the examples of the API issue", () => {
    expect(buildClause({ column: "f1", kind: "float", op: ">", value: "1" })).toBe("f1 > 1");
    expect(buildClause({ column: "s_lo", kind: "string", op: "==", value: "cat_03" })).toBe('s_lo == "cat_03"');
    expect(buildClause({ column: "i_small", kind: "int", op: "!=", value: "5" })).toBe("i_small != 5");
    expect(buildClause({ column: "f1", kind: "float", op: "between", value: "-0.5", value2: "0.5" })).toBe(
      "f1 >= -0.5 and f1 <= 0.5",
    );
    expect(buildClause({ column: "s_lo", kind: "category", op: "in", values: ["cat_01", "cat_02"] })).toBe(
      's_lo in ["cat_01", "cat_02"]',
    );
    expect(buildClause({ column: "flag", kind: "bool", op: "is true" })).toBe("flag == true");
    expect(buildClause({ column: "f2", kind: "float", op: "is null" })).toBe("f2 is null");
    expect(buildClause({ column: "f2", kind: "float", op: "is not null" })).toBe("f2 is not null");
    expect(buildClause({ column: "s_hi", kind: "string", op: "contains", value: "user_12" })).toBe('s_hi contains "user_12"');
    expect(buildClause({ column: "s_hi", kind: "string", op: "startswith", value: "user_9" })).toBe('s_hi startswith "user_9"');
    expect(buildClause({ column: "ts", kind: "datetime", op: ">=", value: "2021-06-01" })).toBe('ts >= "2021-06-01"');
    expect(buildClause({ column: "my col", kind: "int", op: ">", value: "2" })).toBe("`my col` > 2");
  });
  it("refuses an empty in-list", () => {
    expect(() => buildClause({ column: "s", kind: "string", op: "in", values: [] })).toThrow(FilterInputError);
  });
  it("and-s a clause onto the bar, keeping or-groups", () => {
    expect(combineFilters("", "f1 > 1")).toBe("f1 > 1");
    expect(combineFilters("  f2 is null ", "f1 > 1")).toBe("f2 is null and f1 > 1");
    expect(combineFilters("a == 1 or b == 2", "f1 > 1")).toBe("(a == 1 or b == 2) and f1 > 1");
    expect(combineFilters('s == "x or y"', "f1 > 1")).toBe('s == "x or y" and f1 > 1');
    expect(combineFilters("(a == 1 or b == 2)", "f1 > 1")).toBe("(a == 1 or b == 2) and f1 > 1");
  });
  it("offers operations by kind", () => {
    expect(opsForKind("float").map(([op]) => op)).toContain("between");
    expect(opsForKind("string").map(([op]) => op)).toContain("contains");
    expect(opsForKind("bool").map(([op]) => op)).toEqual(["is true", "is false", "is null", "is not null"]);
    expect(opsForKind("datetime").map(([op]) => op)).toContain("between");
  });
  it("splits comma-separated values, with quotes for commas", () => {
    expect(splitValues("a, b,c")).toEqual(["a", "b", "c"]);
    expect(splitValues('"x, y", z')).toEqual(["x, y", "z"]);
    expect(splitValues("")).toEqual([]);
  });
});

describe("a date without a time in the menu means that whole day (issue 17)", () => {
  const date = (op: import("../src/filter-builder").Op, value: string, value2?: string) =>
    buildClause({ column: "date", kind: "datetime", op, value, value2 });
  it("ends a range at the next day's midnight, so the last day is in", () => {
    expect(date("between", "2024-02-01", "2024-02-10")).toBe('date >= "2024-02-01" and date < "2024-02-11"');
    expect(date("<=", "2024-02-29")).toBe('date < "2024-03-01"');
    expect(date("<=", "2023-12-31")).toBe('date < "2024-01-01"');
    expect(date(">", "2024-02-10")).toBe('date >= "2024-02-11"');
  });
  it("reads = and ≠ a date as the day", () => {
    expect(date("==", "2024-02-10")).toBe('date >= "2024-02-10" and date < "2024-02-11"');
    expect(date("!=", "2024-02-10")).toBe('not (date >= "2024-02-10" and date < "2024-02-11")');
  });
  it("keeps >= and < (they already mean from or before the day's midnight)", () => {
    expect(date(">=", "2024-02-10")).toBe('date >= "2024-02-10"');
    expect(date("<", "2024-02-10")).toBe('date < "2024-02-10"');
  });
  it("takes a value with a time as that instant", () => {
    expect(date("<=", "2024-02-10 12:00")).toBe('date <= "2024-02-10 12:00"');
    expect(date("between", "2024-02-01", "2024-02-10T06:00:00")).toBe('date >= "2024-02-01" and date <= "2024-02-10T06:00:00"');
  });
  it("leaves other kinds and impossible days alone", () => {
    expect(buildClause({ column: "s", kind: "string", op: "<=", value: "2024-02-10" })).toBe('s <= "2024-02-10"');
    expect(date("<=", "2024-02-30")).toBe('date <= "2024-02-30"');
    expect(dayAfter("2024-02-28")).toBe("2024-02-29");
    expect(dayAfter("2023-02-28")).toBe("2023-03-01");
    expect(dayAfter("2024-02-10 00:00")).toBeNull();
  });
});
