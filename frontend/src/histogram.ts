// Bars of a histogram or a top-values chart, as plain numbers for an SVG. Pure.

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  count: number;
}

/** A short label for a bin edge: numbers to 4 significant digits, dates as given (no "T"). */
export function edgeLabel(x: number | string): string {
  if (typeof x === "string") return x.replace("T", " ").replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : String(+x.toPrecision(4));
}

/** Vertical bars for `counts` between `edges` (counts.length + 1 edges; numbers or ISO dates). */
export function histogramBars(edges: ReadonlyArray<number | string>, counts: readonly number[], width: number, height: number): Bar[] {
  const n = counts.length;
  if (n === 0 || edges.length !== n + 1) return [];
  const max = Math.max(...counts, 1);
  const w = width / n;
  return counts.map((count, i) => {
    const h = count === 0 ? 0 : Math.max(1, (count / max) * height);
    return {
      x: i * w,
      y: height - h,
      width: Math.max(1, w - 1),
      height: h,
      label: `${edgeLabel(edges[i])} – ${edgeLabel(edges[i + 1])}`,
      count,
    };
  });
}

// ---- axes: nice ticks for the describe panel's histogram (issue 17) ---------------------------

export interface Tick {
  /** Where the tick sits, in the axis's own units (a number, or epoch milliseconds for dates). */
  value: number;
  label: string;
}

/** The round step (1, 2 or 5 times a power of ten) that cuts `span` into about `target` parts. */
export function niceStep(span: number, target: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, target);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const fraction = raw / power;
  const within = (limit: number) => fraction <= limit * (1 + 1e-9);
  return (within(1) ? 1 : within(2) ? 2 : within(5) ? 5 : 10) * power;
}

// [size, suffix, the largest value from which an axis uses it]: "1200" reads better than "1.2k".
const SUFFIXES: Array<[number, string, number]> = [[1e12, "T", 1e12], [1e9, "G", 1e9], [1e6, "M", 1e6], [1e3, "k", 1e4]];

/** A tick's label: as many decimals as the step needs, thousands as k/M/G/T (chosen for the
 * whole axis from its largest value `axisMax`, so one axis uses one suffix), tiny or huge
 * numbers in exponent form, never "-0". */
export function tickLabel(value: number, step: number, axisMax = Math.abs(value)): string {
  step = Math.abs(step);
  if (value === 0 || Math.abs(value) < step * 1e-9) return "0";
  if (step < 1e-4 || axisMax >= 1e15) return Number(value.toPrecision(6)).toExponential().replace("e+", "e");
  const [size, suffix] = SUFFIXES.find(([size, , from]) => axisMax >= from && step >= size / 100) ?? [1, ""];
  const scaledStep = step / size;
  const decimals = scaledStep >= 1 ? 0 : Math.min(12, Math.ceil(-Math.log10(scaledStep) - 1e-9));
  const text = (value / size).toFixed(decimals);
  return (/^-0(\.0*)?$/.test(text) ? text.slice(1) : text) + suffix;
}

/** About `target` round ticks between `min` and `max` (inclusive), with their labels. With
 * `integers` the step is at least 1 (an axis of counts). */
export function niceTicks(min: number, max: number, target = 5, integers = false): Tick[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  if (min === max) return [{ value: min, label: edgeLabel(min) }];
  let step = niceStep(max - min, target);
  if (integers) step = Math.max(1, Math.round(step));
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const axisMax = Math.max(Math.abs(min), Math.abs(max));
  const ticks: Tick[] = [];
  for (let i = first; i <= last; i++) {
    const value = +(i * step).toPrecision(12);
    ticks.push({ value, label: tickLabel(value, step, axisMax) });
  }
  return ticks;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FIXED_STEPS = [SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE,
  5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY];
const MONTH_STEPS = [1, 2, 3, 6];

/** Epoch milliseconds of an ISO date or date-time, read as wall-clock time (any offset is
 * dropped, so ticks read in the column's own time), or null when it is not one. */
export function parseWallClock(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?/.exec(text);
  if (!m) return null;
  const [, y, mo, d, hh = "0", mm = "0", ss = "0", frac = ""] = m;
  return Date.UTC(+y, +mo - 1, +d, +hh, +mm, +ss, frac ? Math.round(parseFloat(frac) * 1000) : 0);
}

const pad = (n: number) => String(n).padStart(2, "0");

function dateLabel(ms: number, unit: "year" | "month" | "day" | "minute" | "second"): string {
  const d = new Date(ms);
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (unit === "year") return String(d.getUTCFullYear());
  if (unit === "month") return day.slice(0, 7);
  if (unit === "day") return day;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return unit === "minute" ? `${day.slice(5)} ${time}` : `${time}:${pad(d.getUTCSeconds())}`;
}

/** About `target` ticks on calendar boundaries (seconds up to years) between two instants. */
export function dateTicks(min: number, max: number, target = 4): Tick[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) return [];
  const span = max - min;
  if (span === 0) return [{ value: min, label: dateLabel(min, min % DAY === 0 ? "day" : "minute") }];
  const fixed = FIXED_STEPS.find((step) => span / step <= target);
  if (fixed !== undefined) {
    const unit = fixed >= DAY ? "day" : fixed >= MINUTE ? "minute" : "second";
    const ticks: Tick[] = [];
    for (let v = Math.ceil(min / fixed) * fixed; v <= max; v += fixed) ticks.push({ value: v, label: dateLabel(v, unit) });
    return ticks;
  }
  const start = new Date(min);
  const months = (span / DAY) / 30.44;
  const monthStep = MONTH_STEPS.find((k) => months / k <= target);
  const yearStep = monthStep === undefined ? Math.max(1, niceStep(months / 12, target)) : 0;
  const stepMonths = monthStep ?? yearStep * 12;
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  // The first boundary at or after `min` that the step divides (January for year steps).
  for (;;) {
    const at = Date.UTC(year, month, 1);
    const aligned = stepMonths % 12 === 0 ? month === 0 && year % (stepMonths / 12) === 0 : month % stepMonths === 0;
    if (at >= min && aligned) break;
    month += 1;
    if (month === 12) { month = 0; year += 1; }
  }
  const ticks: Tick[] = [];
  for (let at = Date.UTC(year, month, 1); at <= max; at = Date.UTC(year, month, 1)) {
    ticks.push({ value: at, label: dateLabel(at, stepMonths % 12 === 0 ? "year" : "month") });
    month += stepMonths;
    year += Math.floor(month / 12);
    month %= 12;
  }
  return ticks;
}

export interface HistogramLayout {
  /** The plot area inside the SVG, in pixels. */
  plot: { left: number; top: number; width: number; height: number };
  /** One per bin: its bar, and the full-height strip that answers the pointer. */
  bars: Array<Bar & { hitX: number; hitWidth: number; range: string }>;
  xTicks: Array<{ x: number; label: string }>;
  yTicks: Array<{ y: number; label: string }>;
}

/** Ticks for a count axis from 0 to the first round value at or above `max` (whole steps). */
export function countTicks(max: number, target = 3): Tick[] {
  const step = Math.max(1, Math.round(niceStep(Math.max(1, max), target)));
  const top = Math.max(1, Math.ceil(max / step)) * step;
  return Array.from({ length: top / step + 1 }, (_, i) => ({ value: i * step, label: tickLabel(i * step, step, top) }));
}

/** About how wide a label of the axis font (10 px) is, for thinning crowded ticks. */
const labelWidth = (label: string) => label.length * 6 + 6;

/** Every other tick dropped until neighbouring labels (centred on their ticks) do not touch. */
export function thinTicks<T extends { x: number; label: string }>(ticks: T[]): T[] {
  let kept = ticks;
  const crowded = (list: T[]) => list.some((t, i) => i > 0 && t.x - list[i - 1].x < (labelWidth(t.label) + labelWidth(list[i - 1].label)) / 2);
  while (kept.length > 2 && crowded(kept)) kept = kept.filter((_, i) => i % 2 === 0);
  return kept;
}

/** The describe panel's histogram as pixels: bars placed by their edges' values (numbers or
 * dates; other edges, such as durations, by position), round ticks on the value axis, and a
 * count axis on the left. `width` and `height` are the whole SVG's. */
export function histogramLayout(edges: ReadonlyArray<number | string>, counts: readonly number[], width: number, height: number): HistogramLayout {
  const yTickValues = countTicks(Math.max(0, ...counts));
  const left = Math.max(...yTickValues.map((t) => labelWidth(t.label))) + 4;
  const plot = { left, top: 6, width: Math.max(10, width - left - 8), height: Math.max(10, height - 6 - 18) };
  const n = counts.length;
  if (n === 0 || edges.length !== n + 1) return { plot, bars: [], xTicks: [], yTicks: [] };
  const top = yTickValues[yTickValues.length - 1].value || 1;
  const yOf = (count: number) => plot.top + plot.height - (count / top) * plot.height;
  const yTicks = yTickValues.map((t) => ({ y: yOf(t.value), label: t.label }));

  const dates = edges.every((e) => typeof e === "string") ? edges.map((e) => parseWallClock(e as string)) : null;
  const values: Array<number | null> = dates ?? edges.map((e) => (typeof e === "number" && Number.isFinite(e) ? e : null));
  const byValue = values.every((v) => v !== null) && (values[n] as number) > (values[0] as number);
  const lo = byValue ? (values[0] as number) : 0;
  const hi = byValue ? (values[n] as number) : n;
  const xOf = (v: number) => plot.left + ((v - lo) / (hi - lo)) * plot.width;
  const at = (i: number) => xOf(byValue ? (values[i] as number) : i);

  const bars = counts.map((count, i) => {
    const x0 = at(i);
    const x1 = at(i + 1);
    const h = count === 0 ? 0 : Math.max(1, plot.top + plot.height - yOf(count));
    const range = `${edgeLabel(edges[i])} – ${edgeLabel(edges[i + 1])}`;
    return { x: x0, y: plot.top + plot.height - h, width: Math.max(1, x1 - x0 - 1), height: h, label: range, count, hitX: x0, hitWidth: Math.max(1, x1 - x0), range };
  });

  let xTicks: Array<{ x: number; label: string }>;
  if (byValue) {
    const ticks = dates ? dateTicks(lo, hi, 4) : niceTicks(lo, hi, 5);
    xTicks = ticks.map((t) => ({ x: xOf(t.value), label: t.label }));
  } else {
    xTicks = [0, Math.floor(n / 2), n].map((i) => ({ x: at(i), label: edgeLabel(edges[i]) }));
  }
  return { plot, bars, xTicks: thinTicks(xTicks), yTicks };
}

/** Horizontal bars for the top values. */
export function topValueBars(top: ReadonlyArray<{ value: unknown; count: number }>, width: number, rowHeight: number): Bar[] {
  const max = Math.max(...top.map((t) => t.count), 1);
  return top.map((t, i) => ({
    x: 0,
    y: i * rowHeight,
    width: Math.max(1, (t.count / max) * width),
    height: rowHeight - 2,
    label: t.value === null || t.value === undefined ? "null" : String(t.value),
    count: t.count,
  }));
}
