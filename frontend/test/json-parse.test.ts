import { describe, expect, it } from "vitest";
import { keepBigIntegers, parseJson } from "../src/json-parse";

describe("JSON with big integers", () => {
  it("keeps the digits of an integer beyond 2^53 when the source text is given", () => {
    expect(keepBigIntegers("", 9007199254740992, { source: "9007199254740993" })).toBe("9007199254740993");
    expect(keepBigIntegers("", -9223372036854776000, { source: "-9223372036854775808" })).toBe("-9223372036854775808");
  });

  it("leaves safe integers, floats and other values alone", () => {
    expect(keepBigIntegers("", 42, { source: "42" })).toBe(42);
    expect(keepBigIntegers("", 1e300, { source: "1e300" })).toBe(1e300);
    expect(keepBigIntegers("", 9007199254740992, { source: "9007199254740992.0" })).toBe(9007199254740992);
    expect(keepBigIntegers("", "x", undefined)).toBe("x");
    expect(keepBigIntegers("", 9007199254740992, undefined)).toBe(9007199254740992);
  });

  it("parses whole documents", () => {
    const body = parseJson('{"ok": true, "data": [[1, 2.5, null, "s"]]}') as { data: unknown[][] };
    expect(body.data[0].slice(0, 3)).toEqual([1, 2.5, null]);
  });
});
