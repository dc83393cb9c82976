// The column controls wired to the view: the header cells' sort clicks and menus (sort,
// filters written into the filter bar, describe, chart, pin, hide) and the Columns button's
// picker. The menu, the picker and the header cell draw themselves; this says what they do.

import type { ApiClient, ColumnInfo } from "./api-client";
import { columnChart } from "./chart-links";
import { openColumnMenu, type LookMenuActions, type ShapeActions } from "./column-menu";
import type { ColumnPanel } from "./column-panel";
import { openColumnPicker } from "./column-picker";
import type { FilterBar } from "./filter-bar";
import { combineFilters } from "./filter-builder";
import type { GridView } from "./grid-view";
import type { HeaderContext } from "./header-cell";
import { isNumericKind } from "./format";
import { openFormatDialog, openRangeDialog } from "./look-dialogs";
import type { Look } from "./look";
import { nextSort, type SortDir } from "./url-state";

export interface ColumnControlsOptions {
  api: Pick<ApiClient, "chartUrl" | "describe">;
  /** The frame's columns now (a step may change them). */
  columns(): ColumnInfo[];
  /** The column menu's steps for a column (issue 15); none on frames without steps. */
  shapeFor?(column: ColumnInfo): ShapeActions;
  gridView: Pick<GridView, "view" | "grid" | "setSort" | "applyFilter">;
  filterBar: FilterBar;
  panel: Pick<ColumnPanel, "show">;
  columnsButton: HTMLElement;
  /** Formats and highlights (issue 16). */
  look?: Look;
  /** A value of the column the grid has loaded, for the format dialog's preview. */
  sampleOf?(column: string): unknown;
}

/** Wires the Columns button; returns what the header cells call. */
export function createColumnControls({ api, columns, shapeFor, gridView, filterBar, panel, columnsButton, look, sampleOf }: ColumnControlsOptions): HeaderContext {
  const { view } = gridView;
  let known: ColumnInfo[] | null = null;
  let map = new Map<string, ColumnInfo>();
  const byName = () => {
    const now = columns();
    if (now !== known) [known, map] = [now, new Map(now.map((c) => [c.name, c]))];
    return map;
  };

  function openMenu(name: string, anchor: HTMLElement) {
    const column = byName().get(name);
    const grid = gridView.grid;
    if (!column || !grid) return;
    const dir = view.sort.find(([c]) => c === name)?.[1] ?? null;
    openColumnMenu(anchor, column, { sort: dir, pinned: view.pinned.includes(name) }, {
      sort: (d: SortDir | null) => gridView.setSort(d ? [[name, d]] : view.sort.filter(([c]) => c !== name)),
      addFilter: (clause) => {
        const text = combineFilters(filterBar.getText(), clause);
        filterBar.setText(text);
        void gridView.applyFilter(text);
      },
      describe: () => panel.show(column, view.filter),
      chartUrl: api.chartUrl(columnChart(column, view.filter)),
      pin: (pin) => grid.applyColumnState({ state: [{ colId: name, pinned: pin ? "left" : null }] }),
      hide: () => grid.setColumnsVisible([name], false),
      topValues: column.kind === "category" || column.kind === "bool"
        ? () => api.describe(name, view.filter).then((d) => d.top ?? [])
        : undefined,
      shape: shapeFor?.(column),
      look: look && lookActions(look, column, sampleOf?.(name)),
    });
  }

  columnsButton.addEventListener("click", () => {
    const grid = gridView.grid;
    if (!grid) return;
    openColumnPicker(columnsButton, columns(), {
      isVisible: (name) => grid.getColumn(name)?.isVisible() ?? false,
      setVisible: (names, visible) => grid.setColumnsVisible(names, visible),
    });
  });

  return {
    getSort: () => view.sort,
    onSortClick: (name, additive) => gridView.setSort(nextSort(view.sort, name, additive)),
    openMenu,
    kindOf: (name) => byName().get(name)?.kind ?? "object",
  };
}

function lookActions(look: Look, column: ColumnInfo, sample: unknown): LookMenuActions {
  const name = column.name;
  const numeric = isNumericKind(column.kind);
  return {
    formattable: numeric || column.kind === "datetime",
    numeric,
    hasFormat: look.formatOf(name) !== undefined,
    heatmap: look.hasRule(name, "heatmap"),
    outliers: look.hasRule(name, "outliers"),
    highlighted: look.state.highlights.rules.some((r) => r.column === name),
    format: () => openFormatDialog(column, look.formatOf(name), sample, (f) => look.setFormat(name, f)),
    toggleHeatmap: () => (look.hasRule(name, "heatmap") ? look.clearRules(name, "heatmap") : look.addRule({ type: "heatmap", column: name })),
    toggleOutliers: () => (look.hasRule(name, "outliers") ? look.clearRules(name, "outliers") : look.addRule({ type: "outliers", column: name })),
    addRange: () => openRangeDialog(column, (rule) => look.addRule(rule)),
    clearHighlights: () => look.clearRules(name),
  };
}
