import { describe, expect, it } from "vitest";
import { inRect, moveFocus, selectCell, selectionRect, toTsv } from "../src/selection";
import { edgeLabel, histogramBars, topValueBars } from "../src/histogram";

describe("selection", () => {
  const order = ["id", "f1", "s_lo", "flag"];
  it("spans anchor and focus in display order, either direction", () => {
    const rect = selectionRect({ anchor: { row: 5, col: "s_lo" }, focus: { row: 2, col: "f1" } }, order);
    expect(rect).toEqual({ top: 2, bottom: 5, columns: ["f1", "s_lo"] });
    expect(inRect(rect, 3, "f1")).toBe(true);
    expect(inRect(rect, 6, "f1")).toBe(false);
    expect(inRect(rect, 3, "id")).toBe(false);
  });
  it("writes TSV with headers, null as empty, tabs and newlines flattened", () => {
    expect(toTsv(["a", "b"], [[1, null], ["x\ty", "l1\nl2"], [0.30000000000000004, true]])).toBe(
      "a\tb\n1\t\nx y\tl1 l2\n0.30000000000000004\ttrue\n",
    );
  });
  it("starts a selection on a click and grows it from the anchor on shift+click", () => {
    const first = selectCell(null, { row: 3, col: "f1" }, true); // shift with nothing selected
    expect(first).toEqual({ anchor: { row: 3, col: "f1" }, focus: { row: 3, col: "f1" } });
    expect(selectCell(first, { row: 7, col: "flag" }, true)).toEqual({ anchor: { row: 3, col: "f1" }, focus: { row: 7, col: "flag" } });
    expect(selectCell(first, { row: 7, col: "flag" }, false)).toEqual({ anchor: { row: 7, col: "flag" }, focus: { row: 7, col: "flag" } });
  });
  it("moves the focus with the arrows within the rows and the columns", () => {
    const at = (row: number, col: string) => ({ anchor: { row, col }, focus: { row, col } });
    expect(moveFocus(at(4, "f1"), "ArrowDown", order, 100, false)).toEqual(at(5, "f1"));
    expect(moveFocus(at(4, "f1"), "ArrowUp", order, 100, false)).toEqual(at(3, "f1"));
    expect(moveFocus(at(4, "f1"), "ArrowLeft", order, 100, false)).toEqual(at(4, "id"));
    expect(moveFocus(at(4, "f1"), "ArrowRight", order, 100, false)).toEqual(at(4, "s_lo"));
    // Edges: the first row and column, the last column, the last row of the view.
    expect(moveFocus(at(0, "id"), "ArrowUp", order, 100, false)).toEqual(at(0, "id"));
    expect(moveFocus(at(0, "id"), "ArrowLeft", order, 100, false)).toEqual(at(0, "id"));
    expect(moveFocus(at(0, "flag"), "ArrowRight", order, 100, false)).toEqual(at(0, "flag"));
    expect(moveFocus(at(99, "id"), "ArrowDown", order, 100, false)).toEqual(at(99, "id"));
    // While the view's row count is not known, the focus does not go down past its row.
    expect(moveFocus(at(99, "id"), "ArrowDown", order, null, false)).toEqual(at(99, "id"));
    expect(moveFocus(at(99, "id"), "ArrowUp", order, null, false)).toEqual(at(98, "id"));
    expect(moveFocus(at(4, "f1"), "Enter", order, 100, false)).toBeNull();
  });
  it("grows the selection from its anchor with shift+arrows", () => {
    const sel = { anchor: { row: 2, col: "id" }, focus: { row: 4, col: "f1" } };
    expect(moveFocus(sel, "ArrowDown", order, 100, true)).toEqual({ anchor: { row: 2, col: "id" }, focus: { row: 5, col: "f1" } });
    expect(moveFocus(sel, "ArrowRight", order, 100, true)).toEqual({ anchor: { row: 2, col: "id" }, focus: { row: 4, col: "s_lo" } });
    // A focus on a column no longer displayed lands on the first one.
    expect(moveFocus({ anchor: { row: 1, col: "gone" }, focus: { row: 1, col: "gone" } }, "ArrowUp", order, 100, false)).toEqual({ anchor: { row: 0, col: "id" }, focus: { row: 0, col: "id" } });
  });
});

describe("charts", () => {
  it("scales histogram bars to the tallest", () => {
    const bars = histogramBars([0, 1, 2, 3], [10, 5, 0], 90, 50);
    expect(bars.map((b) => b.height)).toEqual([50, 25, 0]);
    expect(bars[0].x).toBe(0);
    expect(bars[1].x).toBe(30);
    expect(bars[0].label).toBe("0 – 1");
    expect(histogramBars([0, 1], [1, 2], 10, 10)).toEqual([]);
  });
  it("labels numeric and datetime edges", () => {
    expect(edgeLabel(1234567)).toBe("1.23e+6");
    expect(edgeLabel(-0.5)).toBe("-0.5");
    expect(edgeLabel(2 / 3)).toBe("0.6667");
    expect(edgeLabel("2020-03-14T01:28:46.300000")).toBe("2020-03-14 01:28:46.3");
    expect(edgeLabel("2020-01-01T00:27:42")).toBe("2020-01-01 00:27:42");
    const bars = histogramBars(["2020-01-01T00:00:00", "2020-06-01T00:00:00", "2021-01-01T00:00:00"], [3, 1], 100, 10);
    expect(bars[0].label).toBe("2020-01-01 00:00:00 – 2020-06-01 00:00:00");
  });
  it("scales top-value bars", () => {
    const bars = topValueBars([{ value: "a", count: 4 }, { value: null, count: 2 }], 100, 20);
    expect(bars.map((b) => [b.label, b.width, b.y])).toEqual([["a", 100, 0], ["null", 50, 20]]);
  });
});
