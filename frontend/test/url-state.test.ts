import { describe, expect, it } from "vitest";
import { EMPTY_LOOK, EMPTY_VIEW, nextSort, parseLookState, parseViewState, writeLookState, writeViewState, type LookState } from "../src/url-state";

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

describe("the look in the URL (issue 16)", () => {
  const kinds = new Map([["price", "float"], ["when", "datetime"], ["name", "string"]]);
  it("round-trips and keeps the view and other parameters", () => {
    const look: LookState = {
      formats: { price: { decimals: 2, thousands: true, currency: "$" }, when: { date: "DD/MM/YYYY" } },
      highlights: { rules: [{ type: "heatmap", column: "price" }, { type: "range", column: "name", op: "=", value: "a&b", color: "#fde68a" }], missing: true, heatScope: "view" },
      widths: { price: 180 },
      theme: "dark",
      exportFormatted: true,
    };
    const search = writeLookState('?key=k&sort=[["price","asc"]]', look);
    const params = new URLSearchParams(search);
    expect(params.get("key")).toBe("k");
    expect(params.get("sort")).toBe('[["price","asc"]]');
    expect(parseLookState(search, kinds)).toEqual(look);
  });
  it("writes nothing for the empty look and removes what was there", () => {
    expect(writeLookState("?key=k&formats={}&theme=dark&missing=1&heat=view&widths={}&highlight=[]&xf=1", EMPTY_LOOK)).toBe("?key=k");
  });
  it("drops what does not fit the frame", () => {
    const s = parseLookState('?formats={"name":{"decimals":1},"gone":{"decimals":1},"when":{"date":"YYYY%"},"price":{"decimals":1}}&widths={"price":5,"when":"x","name":90}&theme=purple&highlight=[{"type":"heatmap","column":"gone"}]', kinds);
    expect(s.formats).toEqual({ price: { decimals: 1 } });
    expect(s.widths).toEqual({ name: 90 });
    expect(s.theme).toBe("auto");
    expect(s.highlights.rules).toEqual([]);
  });
});
