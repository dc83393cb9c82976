// A column's menu: sort, the common filters for its kind (written into the filter bar in the
// filter language), describe, a chart of the column, pin and hide, and the steps that shape
// the column (issue 15: convert, rename, drop, move, fill or drop missing, replace, build a
// column from it, summarize by it).

import type { ColumnInfo } from "./api-client";
import { h, openPopup } from "./dom";
import { buildClause, FilterInputError, opsForKind, splitValues, type Op } from "./filter-builder";
import { kindBadge } from "./format";
import type { SortDir } from "./url-state";

export interface ColumnMenuActions {
  sort(dir: SortDir | null): void;
  addFilter(clause: string): void;
  describe(): void;
  /** The chart builder's page for a chart of this column, opened in a new tab. */
  chartUrl?: string;
  pin(pinned: boolean): void;
  hide(): void;
  /** The column's most frequent values (offered as one-click filters for categories). */
  topValues?: () => Promise<Array<{ value: unknown; count: number }>>;
  /** The steps that fit the column (pandas frames). */
  shape?: ShapeActions;
  /** Formats and highlights of the column (issue 16). */
  look?: LookMenuActions;
}

/** What the menu's "Look" part shows and does (look.ts keeps the state, in the URL). */
export interface LookMenuActions {
  /** Numbers and dates take a format. */
  formattable: boolean;
  /** Numbers take heat maps and outlier highlights. */
  numeric: boolean;
  hasFormat: boolean;
  heatmap: boolean;
  outliers: boolean;
  /** The column has highlights to clear. */
  highlighted: boolean;
  format(): void;
  toggleHeatmap(): void;
  toggleOutliers(): void;
  addRange(): void;
  clearHighlights(): void;
}

/** What the menu's "Shape" part does; the dialogs ask for the parameters. */
export interface ShapeActions {
  /** Conversions that fit the column's kind; none hides Convert. */
  conversions: string[];
  canMoveLeft: boolean;
  canMoveRight: boolean;
  convert(): void;
  rename(): void;
  drop(): void;
  move(delta: -1 | 1): void;
  moveTo(): void;
  fillMissing(): void;
  dropMissing(): void;
  replace(): void;
  build(): void;
  summarize(): void;
  valueCounts(): void;
}

function chipClause(column: ColumnInfo, value: unknown): string {
  if (value === null || value === undefined) return buildClause({ column: column.name, kind: column.kind, op: "is null" });
  if (typeof value === "boolean") return buildClause({ column: column.name, kind: "bool", op: value ? "is true" : "is false" });
  return buildClause({ column: column.name, kind: column.kind, op: "==", value: String(value) });
}

export function openColumnMenu(anchor: HTMLElement, column: ColumnInfo, state: { sort: SortDir | null; pinned: boolean }, actions: ColumnMenuActions): () => void {
  let close = () => {};
  const item = (label: string, testid: string, run: () => void, disabled = false) =>
    h("button", {
      type: "button",
      className: "dl-menu-item",
      "data-testid": testid,
      disabled,
      onclick: (() => {
        close();
        run();
      }) as EventListener,
    }, label);

  const ops = opsForKind(column.kind);
  const opSelect = h("select", { "data-testid": "menu-filter-op", "aria-label": "filter operation" },
    ...ops.map(([op, label]) => h("option", { value: op }, label)));
  const value1 = h("input", { type: "text", "data-testid": "menu-filter-value", placeholder: "value", "aria-label": "value" });
  const value2 = h("input", { type: "text", "data-testid": "menu-filter-value2", placeholder: "and", "aria-label": "second value", hidden: true });
  const problem = h("div", { className: "dl-menu-problem", "data-testid": "menu-filter-problem" });
  const syncInputs = () => {
    const op = opSelect.value as Op;
    const none = op === "is null" || op === "is not null" || op === "is true" || op === "is false";
    value1.hidden = none;
    value2.hidden = op !== "between";
    value1.placeholder = op === "in" ? "a, b, c" : column.kind === "datetime" ? "2021-06-01" : "value";
    if (column.kind === "datetime") {
      // The menu reads a date alone as the whole day (filter-builder.ts, issue 17).
      value1.title = value2.title = "a date without a time means that whole day";
    }
  };
  opSelect.addEventListener("change", syncInputs);
  syncInputs();
  const addFilter = (e: Event) => {
    e.preventDefault();
    const op = opSelect.value as Op;
    try {
      const clause = buildClause({
        column: column.name,
        kind: column.kind,
        op,
        value: value1.value,
        value2: value2.value,
        values: op === "in" ? splitValues(value1.value) : undefined,
      });
      close();
      actions.addFilter(clause);
    } catch (err) {
      if (err instanceof FilterInputError) problem.textContent = err.message;
      else throw err;
    }
  };
  const filterForm = h("form", { className: "dl-menu-filter", "data-testid": "menu-filter-form" },
    h("div", { className: "dl-menu-heading" }, "Filter"),
    h("div", { className: "dl-menu-row" }, opSelect, value1, value2),
    h("button", { type: "submit", className: "dl-btn", "data-testid": "menu-filter-add" }, "Add to filter"),
    problem,
  );
  filterForm.addEventListener("submit", addFilter);
  const chips = h("div", { className: "dl-chips", "data-testid": "menu-values" });
  if (actions.topValues) {
    actions.topValues().then(
      (top) => chips.append(...top.slice(0, 12).map(({ value, count }) => h("button", {
        type: "button",
        className: "dl-chip",
        "data-testid": "menu-value",
        title: `${column.name} == ${String(value)} (${count.toLocaleString("en-US")} rows)`,
        onclick: (() => {
          close();
          actions.addFilter(chipClause(column, value));
        }) as EventListener,
      }, value === null || value === undefined ? "null" : String(value)))),
      () => chips.remove(),
    );
    filterForm.append(chips);
  }

  const popup = h("div", { className: "dl-popup dl-menu", "data-testid": "column-menu", role: "menu" },
    h("div", { className: "dl-menu-title" }, column.name, " ",
      h("span", { className: `dl-badge dl-kind-${column.kind}` }, kindBadge(column.kind)),
      h("span", { className: "dl-muted" }, ` ${column.dtype}`)),
    item("Sort ascending", "menu-sort-asc", () => actions.sort("asc"), state.sort === "asc"),
    item("Sort descending", "menu-sort-desc", () => actions.sort("desc"), state.sort === "desc"),
    item("Clear sort", "menu-sort-clear", () => actions.sort(null), state.sort === null),
    h("hr"),
    filterForm,
    h("hr"),
    item("Describe…", "menu-describe", actions.describe),
    actions.chartUrl !== undefined && h("a", {
      className: "dl-menu-item",
      "data-testid": "menu-chart",
      href: actions.chartUrl,
      target: "_blank",
      rel: "noopener",
      // Close after the click has started the navigation in the new tab.
      onclick: (() => void setTimeout(close, 0)) as EventListener,
    }, "Chart this column"),
    item(state.pinned ? "Unpin" : "Pin to the left", "menu-pin", () => actions.pin(!state.pinned)),
    item("Hide column", "menu-hide", actions.hide),
    ...(actions.look ? lookItems(actions.look, item) : []),
    ...(actions.shape ? shapeItems(actions.shape, item) : []),
  );
  close = openPopup(popup, anchor);
  // The Shape part makes the menu long: it scrolls inside the window.
  popup.style.maxHeight = `${Math.max(200, window.innerHeight - popup.getBoundingClientRect().top - 8)}px`;
  value1.focus();
  return close;
}

type Item = (label: string, testid: string, run: () => void, disabled?: boolean) => HTMLElement;

function lookItems(look: LookMenuActions, item: Item): Node[] {
  return [
    h("hr"),
    h("div", { className: "dl-menu-heading" }, "Look"),
    look.formattable ? item(look.hasFormat ? "Format… (set)" : "Format…", "menu-format", look.format) : null,
    look.numeric ? item(look.heatmap ? "Remove heat map" : "Heat map", "menu-heatmap", look.toggleHeatmap) : null,
    look.numeric ? item(look.outliers ? "Stop highlighting outliers" : "Highlight outliers (IQR)", "menu-outliers", look.toggleOutliers) : null,
    item("Highlight values…", "menu-range", look.addRange),
    item("Clear highlights", "menu-clear-highlights", look.clearHighlights, !look.highlighted),
  ].filter((n): n is HTMLElement => n !== null);
}

function shapeItems(shape: ShapeActions, item: Item): Node[] {
  return [
    h("hr"),
    h("div", { className: "dl-menu-heading" }, "Shape (a step: undo in Steps)"),
    shape.conversions.length ? item("Convert to…", "menu-convert", shape.convert) : null,
    item("Rename…", "menu-rename", shape.rename),
    item("Move left", "menu-move-left", () => shape.move(-1), !shape.canMoveLeft),
    item("Move right", "menu-move-right", () => shape.move(1), !shape.canMoveRight),
    item("Move to position…", "menu-move-to", shape.moveTo),
    item("Fill missing values…", "menu-fill-missing", shape.fillMissing),
    item("Drop rows missing a value here", "menu-drop-missing", shape.dropMissing),
    item("Replace values…", "menu-replace", shape.replace),
    item("Build a column from it…", "menu-build", shape.build),
    item("Summarize by it…", "menu-summarize", shape.summarize),
    item("Count its values (new frame)", "menu-value-counts", shape.valueCounts),
    item("Drop column", "menu-drop", shape.drop),
  ].filter((n): n is HTMLElement => n !== null);
}
