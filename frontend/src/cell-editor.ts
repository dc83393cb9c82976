// Editing one cell (issue 15): a text box over the double-clicked cell. Enter saves (through
// the `edit` step), Escape or a click elsewhere cancels; a refused value (a 400 that names
// the column's kind) shows under the box, which stays open to fix it.

import { h, openPopup } from "./dom";

export interface CellEditorOptions {
  /** The value's text to start from ("" for a missing value). */
  initial: string;
  /** What the box edits, for screen readers: "price, row 12". */
  label: string;
  /** Saves the text ("" makes the value missing); a rejection's message shows by the cell. */
  save(text: string): Promise<unknown>;
}

/** The text a cell's value starts from in the editor. */
export function editText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Opens the editor over `cell`; returns the function that closes it. */
export function openCellEditor(cell: HTMLElement, { initial, label, save }: CellEditorOptions): () => void {
  const input = h("input", { type: "text", className: "dl-cell-input", "data-testid": "cell-editor", "aria-label": `edit ${label}`, autocomplete: "off" });
  input.value = initial;
  const problem = h("div", { className: "dl-cell-problem", "data-testid": "cell-edit-error", role: "alert", hidden: true });
  const box = h("div", { className: "dl-cell-editor", "data-testid": "cell-editor-box" }, input, problem);
  const close = openPopup(box, null);
  const r = cell.getBoundingClientRect();
  box.style.left = `${r.left}px`;
  box.style.top = `${r.top}px`;
  input.style.width = `${Math.max(r.width, 120)}px`;
  input.style.height = `${r.height}px`;
  let saving = false;
  input.addEventListener("keydown", async (e) => {
    // The grid's own keys (copy, page down) stay out of the box.
    if (e.key !== "Escape") e.stopPropagation();
    if (e.key !== "Enter" || saving) return;
    e.preventDefault();
    saving = true;
    input.readOnly = true;
    try {
      await save(input.value);
      close();
    } catch (err) {
      problem.textContent = (err as Error)?.message ?? String(err);
      problem.hidden = false;
      input.readOnly = false;
      input.focus();
    } finally {
      saving = false;
    }
  });
  input.focus();
  input.select();
  return close;
}
