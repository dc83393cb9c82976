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
