import { describe, expect, it } from "vitest";
import { countTicks, dateTicks, histogramLayout, niceStep, niceTicks, parseWallClock, thinTicks, tickLabel } from "../src/histogram";

const labels = (ticks: Array<{ label: string }>) => ticks.map((t) => t.label);
const values = (ticks: Array<{ value: number }>) => ticks.map((t) => t.value);

describe("nice ticks", () => {
  it.each([
    [0, 10, 5, [0, 2, 4, 6, 8, 10]],
    [0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [-3.7, 4.1, 5, [-2, 0, 2, 4]],
    [0.013, 0.061, 5, [0.02, 0.03, 0.04, 0.05, 0.06]],
    [101, 149, 5, [110, 120, 130, 140]],
    [-1e6, 1e6, 4, [-1e6, -5e5, 0, 5e5, 1e6]],
  ])("between %s and %s (about %s) are round numbers inside the range", (min, max, target, expected) => {
    expect(values(niceTicks(min, max, target))).toEqual(expected);
  });

  it("steps are 1, 2 or 5 times a power of ten", () => {
    for (const span of [0.0007, 0.03, 1, 7, 13, 99, 1234, 5e7]) {
      const step = niceStep(span, 5);
      const mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
      expect([1, 2, 5, 10]).toContain(+mantissa.toFixed(6));
      expect(span / step).toBeLessThanOrEqual(5 + 1e-9);
      expect(span / step).toBeGreaterThan(5 / 5 - 1e-9);
    }
  });

  it("labels carry the decimals the step needs, one suffix per axis, and no -0", () => {
    expect(labels(niceTicks(0, 1, 5))).toEqual(["0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    expect(labels(niceTicks(0, 250000, 5))).toEqual(["0", "50k", "100k", "150k", "200k", "250k"]);
    expect(labels(niceTicks(900000, 1300000, 4))).toEqual(["0.9M", "1.0M", "1.1M", "1.2M", "1.3M"]);
    expect(labels(niceTicks(1000, 1004, 4))).toEqual(["1000", "1001", "1002", "1003", "1004"]);
    expect(labels(niceTicks(-0.3, 0.3, 3))).toEqual(["-0.2", "0", "0.2"]);
    expect(tickLabel(-1e-17, 0.1)).toBe("0");
    expect(labels(niceTicks(0, 0.0001, 2))).toEqual(["0", "5e-5", "1e-4"]);
  });

  it("a count axis has whole steps and reaches the largest count", () => {
    expect(values(countTicks(1))).toEqual([0, 1]);
    expect(values(countTicks(2))).toEqual([0, 1, 2]);
    expect(values(countTicks(0))).toEqual([0, 1]);
    expect(labels(countTicks(48123))).toEqual(["0", "20k", "40k", "60k"]);
    expect(labels(countTicks(1200))).toEqual(["0", "500", "1000", "1500"]);
    expect(values(niceTicks(0, 1, 3, true))).toEqual([0, 1]);
  });

  it("one value gives one tick; nothing finite gives none", () => {
    expect(labels(niceTicks(3.5, 3.5))).toEqual(["3.5"]);
    expect(niceTicks(NaN, 1)).toEqual([]);
    expect(niceTicks(0, Infinity)).toEqual([]);
  });
});

describe("date ticks", () => {
  const ms = (text: string) => parseWallClock(text)!;
  it("reads ISO dates as wall-clock time, dropping any offset", () => {
    expect(ms("2024-02-10")).toBe(Date.UTC(2024, 1, 10));
    expect(ms("2024-02-10T13:45:30.250+01:00")).toBe(Date.UTC(2024, 1, 10, 13, 45, 30, 250));
    expect(parseWallClock("P1DT2H")).toBeNull();
  });
  it.each([
    ["2024-01-01", "2024-04-01", ["2024-01", "2024-02", "2024-03", "2024-04"]],
    ["2020-01-01", "2023-12-31", ["2020", "2021", "2022", "2023"]],
    ["2024-02-01", "2024-02-10", ["2024-02-01", "2024-02-03", "2024-02-05", "2024-02-07", "2024-02-09"]],
    ["2024-02-01T00:00", "2024-02-01T12:00", ["02-01 00:00", "02-01 03:00", "02-01 06:00", "02-01 09:00", "02-01 12:00"]],
  ])("between %s and %s fall on calendar boundaries", (lo, hi, expected) => {
    const ticks = dateTicks(ms(lo), ms(hi), 5);
    expect(labels(ticks)).toEqual(expected);
    for (const t of ticks) {
      expect(t.value).toBeGreaterThanOrEqual(ms(lo));
      expect(t.value).toBeLessThanOrEqual(ms(hi));
    }
  });
});

describe("the histogram's layout", () => {
  const edges = [0, 2.5, 5, 7.5, 10];
  const counts = [3, 10, 0, 1200];
  const layout = histogramLayout(edges, counts, 280, 110);

  it("places bars by their edges inside the plot area, tallest at the top of the count axis", () => {
    const { plot, bars } = layout;
    expect(bars).toHaveLength(4);
    expect(bars[0].hitX).toBeCloseTo(plot.left);
    expect(bars[3].hitX + bars[3].hitWidth).toBeCloseTo(plot.left + plot.width);
    expect(bars[2].height).toBe(0);
    expect(bars[3].y).toBeGreaterThanOrEqual(plot.top);
    expect(bars[1].range).toBe("2.5 – 5");
    expect(bars[3].count).toBe(1200);
  });

  it("has round value ticks at their values' places and a count axis from 0", () => {
    expect(labels(layout.xTicks)).toEqual(["0", "2", "4", "6", "8", "10"]);
    const x4 = layout.xTicks[2].x;
    expect(x4).toBeCloseTo(layout.plot.left + 0.4 * layout.plot.width);
    expect(labels(layout.yTicks)).toEqual(["0", "500", "1000", "1500"]);
    expect(layout.yTicks[0].y).toBeCloseTo(layout.plot.top + layout.plot.height);
  });

  it("uses date ticks for ISO edges and positions for durations", () => {
    const days = histogramLayout(["2024-01-01T00:00:00", "2024-02-15T00:00:00", "2024-04-01T00:00:00"], [5, 6], 280, 110);
    expect(labels(days.xTicks)).toEqual(["2024-01", "2024-02", "2024-03", "2024-04"]);
    const spans = histogramLayout(["P0DT0H0M0S", "P0DT1H0M0S", "P0DT2H0M0S"], [1, 2], 280, 110);
    expect(spans.xTicks).toHaveLength(3);
    expect(spans.bars[1].range).toBe("P0D 1H0M0S – P0D 2H0M0S");
  });

  it("drops every other tick when labels would touch", () => {
    const crowded = Array.from({ length: 11 }, (_, i) => ({ x: i * 20, label: "2024-01-01" }));
    const kept = thinTicks(crowded);
    expect(kept.length).toBeLessThan(crowded.length);
    for (let i = 1; i < kept.length; i++) expect(kept[i].x - kept[i - 1].x).toBeGreaterThanOrEqual(66);
  });

  it("draws nothing for an empty or malformed histogram", () => {
    expect(histogramLayout([], [], 280, 110).bars).toEqual([]);
    expect(histogramLayout([0, 1], [1, 2], 280, 110).bars).toEqual([]);
  });
});
