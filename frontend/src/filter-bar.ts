// The filter bar: a text box in the API's filter language, its inline error (the server's
// message, a caret at the position it gave and which filter the grid still shows) and the row
// count.

import { h } from "./dom";

export interface FilterBar {
  form: HTMLFormElement;
  errorBox: HTMLElement;
  count: HTMLElement;
  getText(): string;
  setText(text: string): void;
  showError(text: string, message: string, position: number | null): void;
  clearError(): void;
  setCount(text: string): void;
  setBusy(busy: boolean): void;
  /** The grid shows the rows of `lastGood` (the last filter that applied), not of the text in
   * the box; null: the grid is current. */
  setStale(lastGood: string | null): void;
}

/** What the grid shows while the filter in the box is wrong (issue 17): the last good one. */
export function staleText(lastGood: string): string {
  const good = lastGood.trim();
  return good ? `The grid is showing the last good filter: ${good}` : "The grid is showing all rows (no filter applied)";
}

export function createFilterBar(onApply: (text: string) => void): FilterBar {
  const input = h("input", {
    type: "text",
    className: "dl-filter-input",
    "data-testid": "filter-input",
    spellcheck: "false",
    autocomplete: "off",
    placeholder: 'Filter, e.g.  f1 > 1 and s_lo in ["cat_01", "cat_02"]   (Enter to apply)',
    "aria-label": "filter",
  });
  const clear = h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "filter-clear", title: "Clear the filter" }, "✕");
  const apply = h("button", { type: "submit", className: "dl-btn", "data-testid": "filter-apply" }, "Apply");
  const form = h("form", { className: "dl-filter", "data-testid": "filter-form" }, input, clear, apply);
  const message = h("div", { className: "dl-filter-error-message", "data-testid": "filter-error-message" });
  const caret = h("pre", { className: "dl-filter-caret", "data-testid": "filter-error-caret" });
  const stale = h("div", { className: "dl-filter-stale", "data-testid": "filter-stale", hidden: true });
  const errorBox = h("div", { className: "dl-filter-error", "data-testid": "filter-error", role: "alert", hidden: true }, message, caret, stale);
  const count = h("span", { className: "dl-count", "data-testid": "row-count" }, "");

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    onApply(input.value);
  });
  clear.addEventListener("click", () => {
    input.value = "";
    onApply("");
  });
  input.addEventListener("input", () => {
    if (!errorBox.hidden) form.classList.remove("dl-invalid");
  });

  return {
    form,
    errorBox,
    count,
    getText: () => input.value,
    setText(text) {
      input.value = text;
    },
    showError(text, msg, position) {
      message.textContent = msg;
      if (position !== null && position >= 0) {
        const at = Math.min(position, text.length);
        caret.textContent = `${text}\n${" ".repeat(at)}^`;
        caret.hidden = false;
        input.focus();
        input.setSelectionRange(at, Math.min(at + 1, text.length));
      } else {
        caret.hidden = true;
      }
      errorBox.hidden = false;
      form.classList.add("dl-invalid");
    },
    clearError() {
      errorBox.hidden = true;
      form.classList.remove("dl-invalid");
    },
    setCount(text) {
      count.textContent = text;
    },
    setBusy(busy) {
      // Shown, never blocking: a form whose default button is disabled ignores Enter, so a
      // filter typed while a sort loads was lost. A newer filter wins over an older check.
      form.classList.toggle("dl-busy", busy);
      form.setAttribute("aria-busy", String(busy));
    },
    setStale(lastGood) {
      stale.hidden = lastGood === null;
      stale.textContent = lastGood === null ? "" : staleText(lastGood);
      count.classList.toggle("dl-stale-count", lastGood !== null);
      count.title = lastGood === null ? "" : `rows of the last good filter, not of the filter in the box`;
    },
  };
}
