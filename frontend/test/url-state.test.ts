import { describe, expect, it } from "vitest";
import { EMPTY_VIEW, nextSort, parseViewState, writeViewState } from "../src/url-state";

describe("view state in the URL", () => {
  it("round-trips and keeps the key and other parameters", () => {
    const state = { sort: [["f1", "desc"], ["id", "asc"]] as Array<[string, "asc" | "desc"]>, filter: 'f1 > 1 and s == "a&b"', columns: ["id", "f1"], pinned: ["id"] };
    const search = writeViewState("?key=abc123&token=jupyter", state);
    const params = new URLSearchParams(search);
    expect(params.get("key")).toBe("abc123");
    expect(params.get("token")).toBe("jupyter");
    expect(parseViewState(search)).toEqual(state);
  });
  it("removes parameters of an empty view", () => {
    expect(writeViewState("?key=k&sort=x&filter=y&columns=z&pinned=w", EMPTY_VIEW)).toBe("?key=k");
    expect(writeViewState("", EMPTY_VIEW)).toBe("");
  });
  it("ignores bad JSON and unknown columns", () => {
    const known = new Set(["a", "b"]);
    const s = parseViewState('?sort=[["a","asc"],["zz","desc"],["b","up"]]&columns=not-json&pinned=["b","q"]', known);
    expect(s).toEqual({ sort: [["a", "asc"]], filter: "", columns: null, pinned: ["b"] });
  });
});

describe("header clicks", () => {
  it("cycles asc, desc, none", () => {
    expect(nextSort([], "a", false)).toEqual([["a", "asc"]]);
    expect(nextSort([["a", "asc"]], "a", false)).toEqual([["a", "desc"]]);
    expect(nextSort([["a", "desc"]], "a", false)).toEqual([]);
    expect(nextSort([["a", "asc"], ["b", "asc"]], "b", false)).toEqual([["b", "desc"]]);
  });
  it("adds a secondary sort with shift", () => {
    expect(nextSort([["a", "asc"]], "b", true)).toEqual([["a", "asc"], ["b", "asc"]]);
    expect(nextSort([["a", "asc"], ["b", "asc"]], "b", true)).toEqual([["a", "asc"], ["b", "desc"]]);
    expect(nextSort([["a", "asc"], ["b", "desc"]], "b", true)).toEqual([["a", "asc"]]);
  });
});
