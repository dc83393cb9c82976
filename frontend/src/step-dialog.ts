// A dialog that writes one step or summary (issue 15): Build column, Summarize and the column
// menu's Convert, Rename, Move, Fill missing and Replace. A kind list (when there are several
// kinds), the kind's fields, a button; the server's 400 shows in the dialog, which stays open.

import type { ColumnInfo } from "./api-client";
import { h } from "./dom";
import { openDialog } from "./dialog";
import { buildBody, FieldError, type FieldSpec, type FormSpec, type RawValues } from "./step-specs";

export interface StepDialogOptions {
  title: string;
  testid: string;
  kinds: Record<string, FormSpec>;
  kind?: string;
  /** Only these kinds are offered (default: all). */
  offered?: string[];
  columns: ColumnInfo[];
  /** Parameters the dialog does not ask for (the menu's column). */
  fixed?: Record<string, unknown>;
  /** Fields filled in at the start (a column picked in the menu). */
  preset?: RawValues;
  /** Options of a choice field narrowed (the conversions that fit the column). */
  narrowed?: Record<string, readonly string[]>;
  submitLabel: string;
  /** Sends the body; a rejection's message shows in the dialog. */
  submit(body: Record<string, unknown>): Promise<unknown>;
}

type Input = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function fieldInput(field: FieldSpec, columns: ColumnInfo[], narrowed?: readonly string[]): Input {
  const testid = `field-${field.key}`;
  const multiple = field.type === "columns" || field.hint === "multiple";
  if (field.type === "column" || field.type === "columns" || field.type === "choice") {
    const names = field.type === "choice" ? [...(narrowed ?? field.options ?? [])]
      : columns.filter((c) => !field.kinds || field.kinds.includes(c.kind)).map((c) => c.name);
    const select = h("select", { "data-testid": testid, "aria-label": field.label, multiple, size: multiple ? Math.min(6, Math.max(3, names.length)) : undefined },
      !multiple && field.optional ? h("option", { value: "" }, "—") : null,
      ...names.map((n) => h("option", { value: n }, n)));
    return select;
  }
  if (field.type === "pairs") return h("textarea", { "data-testid": testid, "aria-label": field.label, rows: 4, placeholder: field.placeholder ?? "" });
  if (field.type === "flag") return h("input", { type: "checkbox", "data-testid": testid, "aria-label": field.label });
  return h("input", { type: "text", "data-testid": testid, "aria-label": field.label, placeholder: field.placeholder ?? "", autocomplete: "off" });
}

function readInput(input: Input): RawValues[string] {
  if (input instanceof HTMLSelectElement && input.multiple) return Array.from(input.selectedOptions, (o) => o.value);
  if (input instanceof HTMLInputElement && input.type === "checkbox") return input.checked;
  return input.value;
}

function presetInput(input: Input, value: RawValues[string]) {
  if (value === undefined) return;
  if (input instanceof HTMLSelectElement && input.multiple) {
    const wanted = new Set(Array.isArray(value) ? value : [String(value)]);
    for (const option of Array.from(input.options)) option.selected = wanted.has(option.value);
  } else if (input instanceof HTMLInputElement && input.type === "checkbox") input.checked = value === true;
  else input.value = Array.isArray(value) ? value.join(", ") : String(value);
}

export function openStepDialog(options: StepDialogOptions): void {
  const { kinds, columns, fixed = {}, preset = {}, narrowed = {} } = options;
  const names = options.offered ?? Object.keys(kinds);
  const kindSelect = h("select", { "data-testid": `${options.testid}-kind`, "aria-label": "kind" },
    ...names.map((k) => h("option", { value: k }, kinds[k].label)));
  kindSelect.value = options.kind && names.includes(options.kind) ? options.kind : names[0];
  const fieldsBox = h("div", { className: "dl-step-fields", "data-testid": `${options.testid}-fields` });
  const problem = h("div", { className: "dl-problem", "data-testid": `${options.testid}-error`, role: "alert" });
  const submit = h("button", { type: "submit", className: "dl-btn", "data-testid": `${options.testid}-submit` }, options.submitLabel);
  const form = h("form", { className: "dl-step-form" },
    names.length > 1 ? h("label", { className: "dl-step-field" }, h("span", {}, "Kind"), kindSelect) : null,
    fieldsBox,
    h("div", { className: "dl-dialog-actions" }, submit, problem));
  let inputs = new Map<string, Input>();

  const render = () => {
    const spec = kinds[kindSelect.value];
    inputs = new Map();
    fieldsBox.replaceChildren(...spec.fields.filter((f) => !(f.key in fixed)).map((field) => {
      const input = fieldInput(field, columns, narrowed[field.key]);
      presetInput(input, preset[field.key]);
      inputs.set(field.key, input);
      return h("label", { className: "dl-step-field" }, h("span", {}, field.label), input);
    }));
    problem.textContent = "";
  };
  kindSelect.addEventListener("change", render);
  render();
  const dialog = openDialog(options.title, options.testid, form);
  (inputs.values().next().value as Input | undefined)?.focus();

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const raw: RawValues = {};
    for (const [key, input] of inputs) raw[key] = readInput(input);
    let body: Record<string, unknown>;
    try {
      body = buildBody(kinds[kindSelect.value], raw, columns.map((c) => c.name), fixed);
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      problem.textContent = err.message;
      inputs.get(err.field)?.focus();
      return;
    }
    submit.disabled = true;
    problem.textContent = "";
    try {
      await options.submit(body);
      dialog.close();
    } catch (err) {
      problem.textContent = (err as Error)?.message ?? String(err);
    } finally {
      submit.disabled = false;
    }
  });
}
