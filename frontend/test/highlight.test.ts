import { describe, expect, it } from "vitest";
import { cellLook, checkHighlight, heatColor, heatRange, HIGHLIGHT_TEXT, MISSING_COLOR, NO_HIGHLIGHTS, OUTLIER_COLOR, outlierFences, rangeMatches, type ColumnStats, type Highlight, type HighlightState } from "../src/highlight";

const green = (rgb: string) => Number(/rgb\(\d+, (\d+)/.exec(rgb)![1]);
const range = (op: "<" | ">" | "between" | "=", value: string, value2?: string) =>
  ({ type: "range", column: "x", op, value, value2, color: "#bbf7d0" }) as Extract<Highlight, { type: "range" }>;

describe("heatColor", () => {
  it("gets hotter (less green) as t grows, clamped to 0..1", () => {
    const greens = [-1, 0, 0.2, 0.4, 0.5, 0.6, 0.8, 1, 2].map((t) => green(heatColor(t)));
    for (let i = 1; i < greens.length; i++) expect(greens[i]).toBeLessThanOrEqual(greens[i - 1]);
    expect(greens[0]).toBe(greens[1]);
    expect(greens.at(-1)).toBe(greens.at(-2));
    expect(greens[1]).toBeGreaterThan(greens.at(-1)!);
  });
});

describe("outlierFences", () => {
  it("are Q1 - 1.5 IQR and Q3 + 1.5 IQR", () => {
    expect(outlierFences(10, 20)).toEqual([-5, 35]);
  });
});

describe("rangeMatches", () => {
  it.each([
    [range("<", "5"), 4, true], [range("<", "5"), 5, false],
    [range(">", "5"), 6, true], [range(">", "5"), 5, false],
    [range("between", "2", "4"), 2, true], [range("between", "2", "4"), 4, true], [range("between", "2", "4"), 4.01, false],
    [range("=", "3"), 3, true], [range("=", "3"), 3.5, false],
    [range("=", "north"), "north", true], [range("=", "north"), "south", false],
    [range(">", "2021-06-01"), "2021-06-01T10:00:00", true], [range("<", "2021-06-01"), "2021-07-01T00:00:00", false],
    [range("<", "5"), null, false], [range("=", "null"), null, false],
  ] as Array<[Extract<Highlight, { type: "range" }>, unknown, boolean]>)("%j on %j is %s", (rule, value, expected) => {
    expect(rangeMatches(rule, value)).toBe(expected);
  });
});

describe("cellLook", () => {
  const stats = new Map<string, ColumnStats>([["x", { min: 0, max: 100, q25: 40, q75: 60 }], ["y", { min: -100, max: 1000 }]]);
  const state = (rules: Highlight[], extra: Partial<HighlightState> = {}): HighlightState => ({ ...NO_HIGHLIGHTS, rules, ...extra });

  it("colours a heat map from the column's own range, or the view's", () => {
    const s = state([{ type: "heatmap", column: "x" }]);
    expect(cellLook("x", 0, s, stats)?.background).toBe(heatColor(0));
    expect(cellLook("x", 100, s, stats)?.background).toBe(heatColor(1));
    expect(cellLook("x", 0, { ...s, heatScope: "view" }, stats)?.background).toBe(heatColor(100 / 1100));
    expect(heatRange("x", stats, "view")).toEqual([-100, 1000]);
    expect(cellLook("y", 5, s, stats)).toBeNull(); // no rule on y
  });
  it("puts range rules before outliers before the heat map before missing cells", () => {
    const s = state([{ type: "heatmap", column: "x" }, { type: "outliers", column: "x" }, range(">", "95")], { missing: true });
    expect(cellLook("x", 97, s, stats)?.tag).toBe("range");
    expect(cellLook("x", 92, s, stats)?.tag).toBe("outlier"); // above 60 + 1.5 * 20
    expect(cellLook("x", 92, s, stats)?.background).toBe(OUTLIER_COLOR);
    expect(cellLook("x", 88, s, stats)?.tag).toBe("heatmap");
    expect(cellLook("x", 50, s, stats)?.tag).toBe("heatmap");
    expect(cellLook("x", null, s, stats)).toEqual({ background: MISSING_COLOR, color: HIGHLIGHT_TEXT, tag: "missing" });
    expect(cellLook("z", null, state([], { missing: true }), stats)?.tag).toBe("missing");
  });
  it("has no heat map or outliers until the figures came", () => {
    const s = state([{ type: "heatmap", column: "q" }, { type: "outliers", column: "q" }]);
    expect(cellLook("q", 5, s, stats)).toBeNull();
  });
});

describe("checkHighlight", () => {
  it("keeps good rules and drops bad ones", () => {
    expect(checkHighlight({ type: "heatmap", column: "x" })).toEqual({ type: "heatmap", column: "x" });
    expect(checkHighlight({ type: "range", column: "x", op: "between", value: "1", value2: "2", color: "#aabbcc" })).toEqual(
      { type: "range", column: "x", op: "between", value: "1", value2: "2", color: "#aabbcc" });
    expect(checkHighlight({ type: "range", column: "x", op: "<", value: "1", color: "red; x: y" })).toBeNull();
    expect(checkHighlight({ type: "range", column: "x", op: "~", value: "1", color: "#aabbcc" })).toBeNull();
    expect(checkHighlight({ type: "range", column: "x", op: "between", value: "1", color: "#aabbcc" })).toBeNull();
    expect(checkHighlight({ type: "heatmap", column: "gone" }, new Set(["x"]))).toBeNull();
    expect(checkHighlight("heatmap")).toBeNull();
  });
});
