// The toolbar's View menu (issue 16): the theme (auto, light, dark), highlighting of missing
// cells, the heat maps' range, exports "as formatted", and ways back (show all columns, unpin
// all, reset widths, clear formats and highlights). Column by column, the column menu does the rest.

import { h, openPopup } from "./dom";
import { THEMES, type Theme } from "./url-state";

export interface ViewMenuState {
  theme: Theme;
  missing: boolean;
  heatScope: "column" | "view";
  exportFormatted: boolean;
}

export interface ViewMenuActions {
  setTheme(theme: Theme): void;
  setMissing(on: boolean): void;
  setHeatScope(scope: "column" | "view"): void;
  setExportFormatted(on: boolean): void;
  showAllColumns(): void;
  unpinAll(): void;
  resetWidths(): void;
  clearLooks(): void;
}

export function openViewMenu(anchor: HTMLElement, state: ViewMenuState, actions: ViewMenuActions): () => void {
  let close = () => {};
  const item = (label: string, testid: string, run: () => void) =>
    h("button", { type: "button", className: "dl-menu-item", "data-testid": testid, onclick: (() => { close(); run(); }) as EventListener }, label);
  const check = (label: string, testid: string, checked: boolean, run: (on: boolean) => void) => {
    const box = h("input", { type: "checkbox", "data-testid": testid, checked });
    box.addEventListener("change", () => run(box.checked));
    return h("label", { className: "dl-menu-item dl-menu-check" }, box, " ", label);
  };
  const themes = h("div", { className: "dl-menu-row dl-theme-choice", role: "radiogroup", "aria-label": "theme" },
    ...THEMES.map((t) => {
      const radio = h("input", { type: "radio", name: "dl-theme", value: t, "data-testid": `theme-${t}`, checked: state.theme === t });
      radio.addEventListener("change", () => radio.checked && actions.setTheme(t));
      return h("label", { className: "dl-menu-radio" }, radio, ` ${t}`);
    }));
  const heat = h("select", { "data-testid": "heat-scope", "aria-label": "heat map range" },
    h("option", { value: "column" }, "each column's min..max"), h("option", { value: "view" }, "the view's min..max"));
  heat.value = state.heatScope;
  heat.addEventListener("change", () => actions.setHeatScope(heat.value === "view" ? "view" : "column"));
  const popup = h("div", { className: "dl-popup dl-menu", "data-testid": "view-menu", role: "menu" },
    h("div", { className: "dl-menu-heading" }, "Theme"),
    themes,
    h("hr"),
    h("div", { className: "dl-menu-heading" }, "Highlight"),
    check("Missing cells", "view-missing", state.missing, actions.setMissing),
    h("label", { className: "dl-menu-item dl-menu-check" }, "Heat maps over ", heat),
    h("hr"),
    check("Export as formatted (CSV, TSV, JSON)", "export-formatted", state.exportFormatted, actions.setExportFormatted),
    h("hr"),
    item("Show all columns", "view-show-all", actions.showAllColumns),
    item("Unpin all columns", "view-unpin-all", actions.unpinAll),
    item("Reset column widths", "view-reset-widths", actions.resetWidths),
    item("Clear formats and highlights", "view-clear-looks", actions.clearLooks),
  );
  close = openPopup(popup, anchor);
  return close;
}
