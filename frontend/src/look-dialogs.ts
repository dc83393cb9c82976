// The column menu's dialogs for the grid's look (issue 16): a column's format (numbers:
// decimals, thousands, percent or scientific, currency; dates: a pattern) with a preview, and
// a range rule (<, >, between, = with a colour).

import type { ColumnInfo } from "./api-client";
import { checkFormat, DATE_PRESETS, formatWith, isDateFormat, MAX_DECIMALS, type ColumnFormat, type NumberFormat } from "./col-format";
import { openDialog } from "./dialog";
import { h } from "./dom";
import { RANGE_COLORS, RANGE_OPS, type Highlight, type RangeOp } from "./highlight";

const label = (text: string, input: HTMLElement) => h("label", { className: "dl-look-field" }, text, input);

/** Opens the format dialog; `apply(null)` clears the column's format. */
export function openFormatDialog(column: ColumnInfo, current: ColumnFormat | undefined, sample: unknown, apply: (f: ColumnFormat | null) => void): void {
  const dateKind = column.kind === "datetime";
  const preview = h("output", { className: "dl-look-preview", "data-testid": "format-preview" });
  const problem = h("div", { className: "dl-menu-problem", "data-testid": "format-problem" });
  let read: () => ColumnFormat | null;
  let fields: HTMLElement[];
  if (dateKind) {
    const pattern = h("input", { type: "text", "data-testid": "format-date", list: "dl-date-presets", placeholder: "DD/MM/YYYY HH:mm", autocomplete: "off" });
    pattern.value = current && isDateFormat(current) ? current.date : "";
    const presets = h("datalist", { id: "dl-date-presets" }, ...DATE_PRESETS.map((p) => h("option", { value: p })));
    fields = [label("Pattern (YYYY YY MMM MM DD HH mm ss)", pattern), presets];
    read = () => checkFormat({ date: pattern.value.trim() }, "datetime");
  } else {
    const n = (current && !isDateFormat(current) ? current : {}) as NumberFormat;
    const decimals = h("select", { "data-testid": "format-decimals" }, h("option", { value: "" }, "auto"),
      ...Array.from({ length: MAX_DECIMALS + 1 }, (_, i) => h("option", { value: String(i) }, String(i))));
    decimals.value = n.decimals === undefined ? "" : String(n.decimals);
    const style = h("select", { "data-testid": "format-style" },
      h("option", { value: "plain" }, "plain"), h("option", { value: "percent" }, "percent"), h("option", { value: "scientific" }, "scientific"));
    style.value = n.percent ? "percent" : n.scientific ? "scientific" : "plain";
    const thousands = h("input", { type: "checkbox", "data-testid": "format-thousands" });
    thousands.checked = !!n.thousands;
    const currency = h("input", { type: "text", "data-testid": "format-currency", maxlength: 4, size: 4, placeholder: "$" });
    currency.value = n.currency ?? "";
    fields = [label("Decimals", decimals), label("Style", style), label("Thousands separator", thousands), label("Currency symbol", currency)];
    read = () => checkFormat({
      decimals: decimals.value === "" ? undefined : Number(decimals.value),
      percent: style.value === "percent",
      scientific: style.value === "scientific",
      thousands: thousands.checked,
      currency: currency.value,
    }, column.kind);
  }
  const update = () => {
    const f = read();
    problem.textContent = dateKind && !f ? "Use YYYY, YY, MMM, MM, DD, HH, mm, ss and - / . : , space T" : "";
    preview.textContent = f && sample !== null && sample !== undefined ? `${String(sample)} → ${formatWith(sample, f) ?? String(sample)}` : "";
  };
  const applyButton = h("button", { type: "submit", className: "dl-btn", "data-testid": "format-apply" }, "Apply");
  const clearButton = h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "format-clear" }, "Clear format");
  const form = h("form", { className: "dl-look-form" }, ...fields, preview, problem, h("div", { className: "dl-dialog-actions" }, applyButton, clearButton));
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
  const dialog = openDialog(`Format ${column.name}`, "format-dialog", form);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const f = read();
    if (dateKind && !f) return update();
    dialog.close();
    apply(f);
  });
  clearButton.addEventListener("click", () => {
    dialog.close();
    apply(null);
  });
}

/** Opens the range rule dialog; `add` gets the rule. */
export function openRangeDialog(column: ColumnInfo, add: (rule: Highlight) => void): void {
  const op = h("select", { "data-testid": "range-op" }, ...RANGE_OPS.map((o) => h("option", { value: o }, o === "=" ? "equals" : o)));
  const value = h("input", { type: "text", "data-testid": "range-value", placeholder: column.kind === "datetime" ? "2021-06-01" : "value", autocomplete: "off" });
  const value2 = h("input", { type: "text", "data-testid": "range-value2", placeholder: "and", autocomplete: "off", hidden: true });
  const color = h("select", { "data-testid": "range-color" }, ...Object.entries(RANGE_COLORS).map(([name, hex]) => h("option", { value: hex }, name)));
  const problem = h("div", { className: "dl-menu-problem", "data-testid": "range-problem" });
  op.addEventListener("change", () => (value2.hidden = op.value !== "between"));
  const form = h("form", { className: "dl-look-form" },
    h("div", { className: "dl-menu-row" }, op, value, value2), label("Colour", color), problem,
    h("div", { className: "dl-dialog-actions" }, h("button", { type: "submit", className: "dl-btn", "data-testid": "range-add" }, "Highlight")));
  const dialog = openDialog(`Highlight ${column.name}`, "range-dialog", form);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const o = op.value as RangeOp;
    if (!value.value.trim() || (o === "between" && !value2.value.trim())) {
      problem.textContent = "Give the value(s) to compare with.";
      return;
    }
    dialog.close();
    add({ type: "range", column: column.name, op: o, value: value.value.trim(), ...(o === "between" ? { value2: value2.value.trim() } : {}), color: color.value });
  });
}
