// AG Grid column definitions: the row-number column, the frame's index and one column per
// frame column, with a cell renderer that shows null distinctly and long text with a title.

import type { CellClassParams, CellStyle, CellStyleFunc, ColDef, ICellRendererParams, ValueGetterParams } from "ag-grid-community";
import type { ColumnInfo } from "./api-client";
import { formatWith, type ColumnFormat } from "./col-format";
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

/** The grid's look (issue 16, look.ts) as the cells read it. */
export interface CellLookSource {
  formatOf(column: string): ColumnFormat | undefined;
  cellLook(column: string, value: unknown): { background: string; color: string; tag: string } | null;
  widthOf(column: string): number | undefined;
}

export function renderValue(value: unknown, kind: string, loaded: boolean, format?: ColumnFormat, highlight?: string): HTMLElement | string {
  if (!loaded) return "";
  const cell = formatValue(value, kind);
  const formatted = format ? formatWith(value, format) : null;
  const span = document.createElement("span");
  span.textContent = formatted ?? cell.text;
  span.setAttribute("data-testid", "cell-value");
  if (highlight) span.dataset.highlight = highlight;
  if (cell.variant) span.className = `dl-${cell.variant}`;
  if (formatted !== null) span.title = String(value);
  else if (cell.title !== undefined) span.title = cell.title;
  return span;
}

function lookStyle(look: CellLookSource | undefined, name: string): CellStyleFunc<GridRow> | undefined {
  if (!look) return undefined;
  // AG Grid keeps a style key a cell once had unless it is reset, hence the explicit blanks.
  return (p) => {
    const hl = p.data ? look.cellLook(name, p.value) : null;
    return (hl ? { backgroundColor: hl.background, color: hl.color } : { backgroundColor: "", color: "" }) as CellStyle;
  };
}

export interface ColumnDefsOptions {
  columns: ColumnInfo[];
  visible: string[] | null;
  pinned: string[];
  header: HeaderContext;
  isSelected(row: number, col: string): boolean;
  /** Rows of the first page, to size the columns to their content. */
  sample?: GridRow[] | null;
  look?: CellLookSource;
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

export function buildColumnDefs({ columns, visible, pinned, header, isSelected, sample, look }: ColumnDefsOptions): ColDef<GridRow>[] {
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
      width: look?.widthOf(col.name) ?? estimateWidth(col.name, col.kind, (sample ?? []).slice(0, 50).map((r) => formatValue(r.values[col.name], col.kind).text)),
      cellClass: numeric ? "dl-num" : `dl-${col.kind}`,
      cellClassRules: selectedRule,
      cellStyle: lookStyle(look, col.name),
      valueGetter: (p: ValueGetterParams<GridRow>) => p.data?.values[col.name],
      cellRenderer: (p: ICellRendererParams<GridRow>) =>
        renderValue(p.value, col.kind, !!p.data, look?.formatOf(col.name), (p.data && look?.cellLook(col.name, p.value)?.tag) || undefined),
    });
  }
  return defs;
}
