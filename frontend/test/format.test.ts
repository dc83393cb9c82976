import { describe, expect, it } from "vitest";
import { CELL_TEXT_LIMIT, aboutText, formatCount, formatFloat, formatValue, kindBadge, rawText, rowCountText } from "../src/format";

describe("row counts", () => {
  it("groups thousands", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(0)).toBe("0");
  });
  it("says 'x of y rows' under a filter", () => {
    expect(rowCountText(1234567, 5000000, true)).toBe("1,234,567 of 5,000,000 rows");
    expect(rowCountText(5000000, 5000000, false)).toBe("5,000,000 rows");
    expect(rowCountText(null, 1, false)).toBe("1 row");
    expect(rowCountText(0, 10, true)).toBe("0 of 10 rows");
  });
  it("says 'about' where the engine estimated a count", () => {
    expect(rowCountText(1234, 5000, false, false)).toBe("about 1,234 rows");
    expect(rowCountText(12, 5000, true, false, true)).toBe("about 12 of 5,000 rows");
    expect(rowCountText(12, 5000, true, true, false)).toBe("12 of about 5,000 rows");
    expect(rowCountText(null, 5000, true, true, false)).toBe("about 5,000 rows");
  });
  it("marks estimated describe figures", () => {
    expect(aboutText("1.5", ["q50"], "q50")).toBe("≈ 1.5");
    expect(aboutText("1.5", ["q50"], "mean")).toBe("1.5");
    expect(aboutText("1.5", undefined, "q50")).toBe("1.5");
  });
});

describe("cell values", () => {
  it("shows null distinctly from the string 'nan'", () => {
    expect(formatValue(null, "float")).toEqual({ text: "null", variant: "null" });
    expect(formatValue("nan", "string")).toEqual({ text: "nan", variant: "" });
    expect(formatValue("null", "string").variant).toBe("");
  });
  it("formats floats compactly and keeps the exact value in the title", () => {
    expect(formatFloat(1.5)).toBe("1.5");
    expect(formatFloat(0.1 + 0.2)).toBe("0.3");
    expect(formatFloat(-2)).toBe("-2");
    expect(formatFloat(1e20)).toBe("1e+20");
    expect(formatFloat(1.234e-7)).toBe("1.234e-7");
    expect(formatValue(0.1 + 0.2, "float")).toEqual({ text: "0.3", title: "0.30000000000000004", variant: "" });
    expect(formatValue(3, "float")).toEqual({ text: "3", variant: "" });
    expect(formatValue(1099511627776, "int").text).toBe("1099511627776");
  });
  it("passes inf strings and booleans through", () => {
    expect(formatValue("inf", "float").text).toBe("inf");
    expect(formatValue("-inf", "float").text).toBe("-inf");
    expect(formatValue(true, "bool").text).toBe("true");
  });
  it("cuts long strings and keeps the full value in the title", () => {
    const long = "x".repeat(CELL_TEXT_LIMIT + 50);
    const cell = formatValue(long, "string");
    expect(cell.text.length).toBe(CELL_TEXT_LIMIT + 1);
    expect(cell.text.endsWith("…")).toBe(true);
    expect(cell.title).toBe(long);
    expect(formatValue("a".repeat(30) + "…[truncated]", "string").title).toContain("[truncated]");
    expect(formatValue("short", "string").title).toBeUndefined();
  });
  it("shows the empty string and datetimes readably", () => {
    expect(formatValue("", "string")).toEqual({ text: '""', variant: "empty" });
    expect(formatValue("2021-06-01T12:30:00", "datetime").text).toBe("2021-06-01 12:30:00");
  });
  it("copies raw values", () => {
    expect(rawText(null)).toBe("");
    expect(rawText(0.30000000000000004)).toBe("0.30000000000000004");
    expect(rawText(false)).toBe("false");
    expect(rawText({ a: 1 })).toBe('{"a":1}');
  });
  it("names every kind with a short badge", () => {
    expect(["int", "float", "bool", "string", "category", "datetime", "timedelta", "object"].map(kindBadge)).toEqual([
      "int", "float", "bool", "str", "cat", "date", "span", "obj",
    ]);
  });
});
