// The column panel: describe figures for the current filter and a small chart (an SVG
// histogram, or a bar chart of the top values), drawn without any charting library.

import type { ApiClient, ColumnInfo, Describe } from "./api-client";
import { h, svg } from "./dom";
import { aboutText, formatCount, formatValue, kindBadge } from "./format";
import { edgeLabel, histogramBars, topValueBars } from "./histogram";

const FIGURES: Array<[keyof Describe, string]> = [
  ["count", "count"], ["missing", "missing"], ["unique", "unique"], ["inf_count", "± inf"],
  ["true", "true"], ["false", "false"],
  ["mean", "mean"], ["std", "std"], ["min", "min"], ["q25", "25%"], ["q50", "50%"], ["q75", "75%"], ["max", "max"],
  ["skew", "skew"], ["kurtosis", "kurtosis"], ["outliers", "outliers (1.5 IQR)"], ["empty", "empty strings"],
];

const COUNTS = new Set(["count", "missing", "unique", "inf_count", "true", "false", "outliers", "empty"]);

// Figures whose meaning needs a word: shown as the row's tooltip (issue 17).
const TITLES: Partial<Record<keyof Describe, string>> = {
  skew: "sample skewness, as pandas' skew(): 0 for a symmetric distribution",
  kurtosis: "excess kurtosis, as pandas' kurt(): 0 for a normal distribution",
  outliers: "values below Q1 − 1.5 IQR or above Q3 + 1.5 IQR",
  empty: "values equal to the empty string, and their share of the non-missing values",
};

function figureText(value: unknown, kind: string, figure = ""): string {
  if (typeof value === "number" && Number.isInteger(value) && (kind !== "float" || COUNTS.has(figure))) return formatCount(value);
  return formatValue(value, kind === "int" ? "float" : kind).text;
}

function histogram(d: Describe): SVGElement | null {
  const hist = d.histogram;
  if (!hist || !hist.counts?.length) return null;
  const width = 280;
  const height = 90;
  const chart = svg("svg", { width, height: height + 14, viewBox: `0 0 ${width} ${height + 14}`, class: "dl-chart", "data-testid": "histogram", role: "img" });
  for (const bar of histogramBars(hist.edges, hist.counts, width, height)) {
    chart.append(svg("rect", { x: bar.x, y: bar.y, width: bar.width, height: bar.height }, svg("title", {}, `${bar.label}: ${formatCount(bar.count)}`)));
  }
  const first = hist.edges[0];
  const last = hist.edges[hist.edges.length - 1];
  chart.append(svg("text", { x: 0, y: height + 12, class: "dl-axis" }, edgeLabel(first)));
  chart.append(svg("text", { x: width, y: height + 12, class: "dl-axis", "text-anchor": "end" }, edgeLabel(last)));
  return chart;
}

function topValues(d: Describe): SVGElement | null {
  const top = (d.top ?? []).slice(0, 10);
  if (!top.length) return null;
  const width = 280;
  const rowHeight = 18;
  const chart = svg("svg", { width, height: top.length * rowHeight, class: "dl-chart dl-top", "data-testid": "top-values", role: "img" });
  for (const bar of topValueBars(top, width * 0.45, rowHeight)) {
    chart.append(svg("text", { x: 0, y: bar.y + 13, class: "dl-axis" }, bar.label.length > 18 ? bar.label.slice(0, 17) + "…" : bar.label));
    chart.append(svg("rect", { x: width * 0.42, y: bar.y + 2, width: bar.width, height: bar.height - 2 }, svg("title", {}, `${bar.label}: ${formatCount(bar.count)}`)));
    chart.append(svg("text", { x: width * 0.42 + bar.width + 4, y: bar.y + 13, class: "dl-axis" }, formatCount(bar.count)));
  }
  return chart;
}

export interface ColumnPanel {
  el: HTMLElement;
  show(column: ColumnInfo, filter: string): void;
  refresh(filter: string): void;
  close(): void;
  readonly column: string | null;
}

export function createColumnPanel(api: ApiClient, onClose: () => void): ColumnPanel {
  const el = h("aside", { className: "dl-panel", "data-testid": "column-panel", hidden: true });
  let current: ColumnInfo | null = null;
  let controller: AbortController | null = null;

  function render(column: ColumnInfo, filter: string, body: HTMLElement) {
    const closeBtn = h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "panel-close", title: "Close", onclick: (() => panel.close()) as EventListener }, "✕");
    el.replaceChildren(
      h("div", { className: "dl-panel-head" },
        h("strong", { "data-testid": "panel-title" }, column.name), " ",
        h("span", { className: `dl-badge dl-kind-${column.kind}` }, kindBadge(column.kind)), closeBtn),
      h("div", { className: "dl-muted" }, `${column.dtype}${filter.trim() ? " · filtered" : ""}`),
      body,
    );
  }

  function load(column: ColumnInfo, filter: string) {
    controller?.abort();
    controller = new AbortController();
    const signal = controller.signal;
    render(column, filter, h("div", { className: "dl-muted", "data-testid": "panel-loading" }, "Computing…"));
    api.describe(column.name, filter, signal).then(
      (d) => {
        if (signal.aborted) return;
        const rows = FIGURES.filter(([k]) => d[k] !== undefined).map(([k, label]) => {
          let text = aboutText(figureText(d[k], column.kind, String(k)), d.approximate, String(k));
          if (k === "empty" && typeof d.empty_share === "number") text += ` (${(d.empty_share * 100).toFixed(1)}%)`;
          return h("tr", { "data-testid": `figure-${String(k)}`, title: TITLES[k] ?? "" }, h("th", {}, label), h("td", {}, text));
        });
        if (d.length) {
          for (const [k, v] of Object.entries(d.length)) {
            if (v !== undefined && v !== null) rows.push(h("tr", { "data-testid": `figure-length-${k}` }, h("th", {}, `length ${k}`), h("td", {}, figureText(v, "float"))));
          }
        }
        const body = h("div", {},
          h("table", { className: "dl-figures", "data-testid": "panel-figures" }, ...rows),
          histogram(d),
          d.histogram ? null : topValues(d));
        if (d.histogram && d.top?.length && column.kind !== "float") body.append(topValues(d)!);
        render(column, filter, body);
      },
      (err: Error) => {
        if (signal.aborted || err.name === "AbortError") return;
        render(column, filter, h("div", { className: "dl-error-text", "data-testid": "panel-error" }, err.message));
      },
    );
  }

  const panel: ColumnPanel = {
    el,
    show(column, filter) {
      current = column;
      el.hidden = false;
      load(column, filter);
    },
    refresh(filter) {
      if (current && !el.hidden) load(current, filter);
    },
    close() {
      controller?.abort();
      current = null;
      el.hidden = true;
      el.replaceChildren();
      onClose();
    },
    get column() {
      return el.hidden ? null : current?.name ?? null;
    },
  };
  return panel;
}
