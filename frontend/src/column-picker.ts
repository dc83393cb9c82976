// The column picker: search among the columns (1,000+ stay usable: at most LIST_LIMIT rows are
// drawn at a time) and show or hide them.

import type { ColumnInfo } from "./api-client";
import { h, openPopup } from "./dom";
import { kindBadge } from "./format";

const LIST_LIMIT = 300;

export interface PickerActions {
  isVisible(name: string): boolean;
  setVisible(names: string[], visible: boolean): void;
}

export function openColumnPicker(anchor: HTMLElement, columns: ColumnInfo[], actions: PickerActions): () => void {
  const search = h("input", { type: "search", placeholder: "Search columns", "data-testid": "picker-search", "aria-label": "search columns" });
  const list = h("div", { className: "dl-picker-list", "data-testid": "picker-list" });
  const summary = h("div", { className: "dl-muted", "data-testid": "picker-summary" });
  const matching = () => {
    const q = search.value.trim().toLowerCase();
    return q ? columns.filter((c) => c.name.toLowerCase().includes(q) || c.kind.startsWith(q)) : columns;
  };
  const draw = () => {
    const found = matching();
    const shown = found.slice(0, LIST_LIMIT);
    list.replaceChildren(...shown.map((c) => {
      const box = h("input", { type: "checkbox", checked: actions.isVisible(c.name), "data-testid": `picker-toggle-${c.name}` });
      box.addEventListener("change", () => {
        actions.setVisible([c.name], box.checked);
        drawSummary();
      });
      return h("label", { className: "dl-picker-item" }, box, h("span", { className: "dl-picker-name" }, c.name),
        h("span", { className: `dl-badge dl-kind-${c.kind}` }, kindBadge(c.kind)));
    }));
    if (found.length > shown.length) list.append(h("div", { className: "dl-muted" }, `… ${found.length - shown.length} more: refine the search`));
    drawSummary();
  };
  const drawSummary = () => {
    const visible = columns.filter((c) => actions.isVisible(c.name)).length;
    summary.textContent = `${visible} of ${columns.length} columns shown`;
  };
  const bulk = (visible: boolean) => () => {
    actions.setVisible(matching().map((c) => c.name), visible);
    draw();
  };
  search.addEventListener("input", draw);
  const popup = h("div", { className: "dl-popup dl-picker", "data-testid": "column-picker" },
    search,
    h("div", { className: "dl-menu-row" },
      h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "picker-show-all", onclick: bulk(true) as EventListener }, "Show all"),
      h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "picker-hide-all", onclick: bulk(false) as EventListener }, "Hide all"),
      summary),
    list);
  draw();
  const close = openPopup(popup, anchor);
  search.focus();
  return close;
}
