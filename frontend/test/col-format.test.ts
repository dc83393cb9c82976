import { describe, expect, it } from "vitest";
import { checkFormat, dateTokens, formatWith, type ColumnFormat } from "../src/col-format";
import table from "./format-cases.json";

// The same table tests the server's formats.py (tests/frames/test_formats.py): the grid and
// the export "as formatted" write the same text.
describe("formatWith", () => {
  it.each(table.cases as Array<[unknown, ColumnFormat, string | null]>)("%j under %j is %j", (value, format, text) => {
    // null: the value is shown (or written) as it is.
    expect(formatWith(value, format) ?? value).toBe(text ?? value);
  });
});

describe("dateTokens", () => {
  it("splits tokens, longest first, and keeps separators", () => {
    expect(dateTokens("DD MMM YYYY, HH:mm")).toEqual(["DD", " ", "MMM", " ", "YYYY", ",", " ", "HH", ":", "mm"]);
  });
  it.each(["", "YYYY %", "Q1", "x".repeat(41)])("refuses %j", (p) => expect(dateTokens(p)).toBeNull());
});

describe("checkFormat", () => {
  it("keeps the known number fields on numbers", () => {
    expect(checkFormat({ decimals: 2, thousands: true, extra: 1 }, "float")).toEqual({ decimals: 2, thousands: true });
  });
  it("drops what does not fit the kind or is out of range", () => {
    expect(checkFormat({ decimals: 2 }, "string")).toBeNull();
    expect(checkFormat({ date: "YYYY" }, "float")).toBeNull();
    expect(checkFormat({ decimals: 13 }, "float")).toBeNull();
    expect(checkFormat({ currency: "12" }, "int")).toBeNull();
    expect(checkFormat({ date: "YYYY-MM" }, "datetime")).toEqual({ date: "YYYY-MM" });
    expect(checkFormat({ percent: true, scientific: true }, "float")).toEqual({ percent: true });
  });
});
