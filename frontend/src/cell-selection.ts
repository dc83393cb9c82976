// The cell selection with mouse and keyboard: click, shift+click, arrows and shift+arrows
// (AG Grid Community has no range selection), the selected cells' highlight, and Ctrl+C.
// The selection's geometry is selection.ts's; copying is cell-copy.ts's.

import type { CellFocusedEvent, GridApi } from "ag-grid-community";
import { INDEX_COL, ROW_NUMBER_COL, type GridRow } from "./grid-columns";
import { inRect, moveFocus, selectCell, selectionRect, type Rect, type Selection } from "./selection";

export interface CellSelectionOptions {
  win: Window;
  gridEl: HTMLElement;
  /** The grid, once it exists. */
  grid(): GridApi<GridRow> | null;
  /** The current view's row count, if known. */
  total(): number | null;
  /** Ctrl+C in the grid with cells selected. */
  copy(rect: Rect): void;
}

export interface CellSelection {
  /** For the cells' class rule: whether the cell is selected. */
  isSelected(row: number, col: string): boolean;
  /** For the grid's onCellFocused: focus moved by keys (Page Up, Home, Tab...) selects. */
  onCellFocused(e: CellFocusedEvent<GridRow>): void;
  /** Forgets the selection (a new view). */
  clear(): void;
}

export function createCellSelection({ win, gridEl, grid, total, copy }: CellSelectionOptions): CellSelection {
  let selection: Selection | null = null;

  function displayedOrder(): string[] {
    const api = grid();
    return api ? api.getAllDisplayedColumns().map((c) => c.getColId()) : [];
  }
  function isSelected(row: number, col: string): boolean {
    if (!selection || col === ROW_NUMBER_COL) return false;
    return inRect(selectionRect(selection, displayedOrder()), row, col);
  }
  function select(row: number, col: string, extend: boolean) {
    selection = selectCell(selection, { row, col: col === ROW_NUMBER_COL ? INDEX_COL : col }, extend);
    paintSelection();
  }
  /** Marks the rendered cells in the selection. A forced grid refresh would re-create the
   * cells under the mouse and lose the keyboard focus, so classes are toggled in place
   * (cellClassRules cover cells rendered later). */
  function paintSelection() {
    const rect = selection ? selectionRect(selection, displayedOrder()) : null;
    gridEl.querySelectorAll<HTMLElement>(".ag-cell[col-id]").forEach((el) => {
      const col = el.getAttribute("col-id")!;
      const row = Number(el.closest("[row-index]")?.getAttribute("row-index"));
      el.classList.toggle("dl-selected", !!rect && col !== ROW_NUMBER_COL && inRect(rect, row, col));
    });
  }
  // Focus moves by mouse (mousedown has the shift key) or by keys (the last navigation key
  // press says whether shift was down).
  let keyNav: { shift: boolean; at: number } | null = null;
  function onCellFocused(e: CellFocusedEvent<GridRow>) {
    if (e.rowIndex === null || e.rowIndex === undefined || !e.column || typeof e.column === "string") return;
    if (!keyNav || performance.now() - keyNav.at > 1000) return;
    select(e.rowIndex, e.column.getColId(), keyNav.shift);
    keyNav = null;
  }
  let gridActive = false;
  win.document.addEventListener("mousedown", (e) => (gridActive = gridEl.contains(e.target as Node)), true);
  gridEl.addEventListener("mousedown", (e) => {
    const el = (e.target as HTMLElement).closest?.(".ag-cell[col-id]");
    const rowEl = el?.closest("[row-index]");
    if (!el || !rowEl || e.button !== 0) return;
    select(Number(rowEl.getAttribute("row-index")), el.getAttribute("col-id")!, e.shiftKey);
  }, true);

  /** Arrow keys move the selection at once (AG Grid moves its focus a frame later, which
   * would lose a quick Ctrl+C); shift+arrow grows it (AG Grid Community only moves focus). */
  function moveSelection(key: string, extend: boolean): boolean {
    const api = grid();
    if (!selection || !api) return false;
    const order = displayedOrder().filter((c) => c !== ROW_NUMBER_COL);
    const next = moveFocus(selection, key, order, total(), extend);
    if (!next) return false;
    selection = next;
    const { row, col } = next.focus;
    api.ensureIndexVisible(row);
    api.ensureColumnVisible(col);
    if (!extend) api.setFocusedCell(row, col);
    paintSelection();
    return true;
  }

  win.document.addEventListener("keydown", (e) => {
    const active = document.activeElement;
    // Right after a click the cell may not hold the focus yet: the grid still counts as active.
    const inGrid = gridEl.contains(active) || (gridActive && (!active || active === document.body));
    if (inGrid && e.key.startsWith("Arrow") && !e.ctrlKey && !e.metaKey && !e.altKey && moveSelection(e.key, e.shiftKey)) {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (/^(Page|Home|End|Tab)/.test(e.key)) keyNav = { shift: false, at: performance.now() };
    if ((e.ctrlKey || e.metaKey) && (e.key === "c" || e.key === "C") && inGrid) {
      e.preventDefault();
      if (selection && grid()) copy(selectionRect(selection, displayedOrder()));
    }
  }, true);

  return {
    isSelected,
    onCellFocused,
    clear() {
      selection = null;
      paintSelection();
    },
  };
}
