// AG Grid column definitions: the row-number column, the frame's index and one column per
// frame column, with a cell renderer that shows null distinctly and long text with a title.

import type { CellClassParams, ColDef, ICellRendererParams, ValueGetterParams } from "ag-grid-community";
import type { ColumnInfo } from "./api-client";
import { formatCount, formatValue, isNumericKind, kindBadge } from "./format";
import { HeaderCell, type HeaderContext } from "./header-cell";

export const ROW_NUMBER_COL = "__row__";
export const INDEX_COL = "__index__";

export interface GridRow {
  index: unknown;
  /** The row's position in the user's frame (pandas frames), which a cell edit names. */
  position?: number;
  values: Record<string, unknown>;
}

export function renderValue(value: unknown, kind: string, loaded: boolean): HTMLElement | string {
  if (!loaded) return "";
  const cell = formatValue(value, kind);
  const span = document.createElement("span");
  span.textContent = cell.text;
  span.setAttribute("data-testid", "cell-value");
  if (cell.variant) span.className = `dl-${cell.variant}`;
  if (cell.title !== undefined) span.title = cell.title;
  return span;
}

export interface ColumnDefsOptions {
  columns: ColumnInfo[];
  visible: string[] | null;
  pinned: string[];
  header: HeaderContext;
  isSelected(row: number, col: string): boolean;
  /** Rows of the first page, to size the columns to their content. */
  sample?: GridRow[] | null;
}

/** A width that fits the header (name, badge, menu) and the sample's longest text. */
export function estimateWidth(name: string, kind: string, texts: string[]): number {
  const header = name.length * 8.2 + kindBadge(kind).length * 7 + 82;
  const longest = texts.reduce((m, t) => Math.max(m, t.length), 0);
  const data = longest * 8.2 + 28;
  return Math.round(Math.min(340, Math.max(72, header, data)));
}

export function rowNumberWidth(total: number): number {
  return Math.max(48, 18 + 8 * formatCount(Math.max(total, 1)).length);
}

export function buildColumnDefs({ columns, visible, pinned, header, isSelected, sample }: ColumnDefsOptions): ColDef<GridRow>[] {
  const selectedRule = {
    "dl-selected": (p: CellClassParams<GridRow>) =>
      p.node.rowIndex !== null && isSelected(p.node.rowIndex, p.column.getColId()),
  };
  const order = visible ?? columns.map((c) => c.name);
  const visibleSet = new Set(order);
  const byName = new Map(columns.map((c) => [c.name, c]));
  // Visible columns first in their order, then the hidden ones (so showing one puts it back).
  const ordered = [...order.map((n) => byName.get(n)!).filter(Boolean), ...columns.filter((c) => !visibleSet.has(c.name))];
  const defs: ColDef<GridRow>[] = [
    {
      colId: ROW_NUMBER_COL,
      headerName: "#",
      pinned: "left",
      lockPinned: true,
      lockPosition: "left",
      suppressMovable: true,
      width: 72,
      cellClass: "dl-rownum",
      headerClass: "dl-rownum-header",
      valueGetter: (p: ValueGetterParams<GridRow>) => (p.node?.rowIndex ?? -1) + 1,
      cellRenderer: (p: ICellRendererParams<GridRow>) => (p.data ? formatCount(p.value) : ""),
    },
    {
      colId: INDEX_COL,
      headerName: "index",
      pinned: "left",
      lockPinned: true,
      lockPosition: "left",
      suppressMovable: true,
      width: estimateWidth("index", "", (sample ?? []).slice(0, 50).map((r) => formatValue(r.index, "object").text)) - 40,
      cellClass: "dl-index",
      headerClass: "dl-index-header",
      cellClassRules: selectedRule,
      valueGetter: (p: ValueGetterParams<GridRow>) => p.data?.index,
      cellRenderer: (p: ICellRendererParams<GridRow>) => renderValue(p.value, "object", !!p.data),
    },
  ];
  for (const col of ordered) {
    const numeric = isNumericKind(col.kind);
    defs.push({
      colId: col.name,
      headerName: col.name,
      headerComponent: HeaderCell,
      headerComponentParams: { ctx: header },
      hide: !visibleSet.has(col.name),
      pinned: pinned.includes(col.name) ? "left" : null,
      width: estimateWidth(col.name, col.kind, (sample ?? []).slice(0, 50).map((r) => formatValue(r.values[col.name], col.kind).text)),
      cellClass: numeric ? "dl-num" : `dl-${col.kind}`,
      cellClassRules: selectedRule,
      valueGetter: (p: ValueGetterParams<GridRow>) => p.data?.values[col.name],
      cellRenderer: (p: ICellRendererParams<GridRow>) => renderValue(p.value, col.kind, !!p.data),
    });
  }
  return defs;
}
