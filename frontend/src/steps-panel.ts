// The Steps panel (issue 15): the frame's steps in order, Undo and Redo, and the pandas code
// that applies them to the user's frame, with a Copy button. It draws what the page's steps
// session says; the app says what its buttons do.

import { h } from "./dom";
import type { StepsListing } from "./steps-client";
import { stepTitle } from "./steps-session";

export interface StepsPanelActions {
  undo(): void;
  redo(): void;
  /** Writes the clipboard; resolves false when the browser refused. */
  copy(text: string): Promise<boolean>;
  close(): void;
}

export interface StepsPanel {
  el: HTMLElement;
  readonly open: boolean;
  show(): void;
  hide(): void;
  render(listing: StepsListing, canRedo: boolean): void;
  showError(message: string): void;
  setBusy(busy: boolean): void;
}

export function createStepsPanel(actions: StepsPanelActions): StepsPanel {
  const list = h("ol", { className: "dl-steps-list", "data-testid": "steps-list" });
  const empty = h("p", { className: "dl-muted", "data-testid": "steps-empty" }, "No steps yet: use a column's menu, Build column, or double-click a cell.");
  const undo = h("button", { type: "button", className: "dl-btn", "data-testid": "steps-undo", disabled: true, onclick: (() => actions.undo()) as EventListener }, "Undo");
  const redo = h("button", { type: "button", className: "dl-btn", "data-testid": "steps-redo", disabled: true, onclick: (() => actions.redo()) as EventListener }, "Redo");
  const error = h("div", { className: "dl-problem", "data-testid": "steps-error", role: "alert" });
  const code = h("pre", { className: "dl-code dl-steps-code", "data-testid": "steps-code", tabindex: 0 });
  const status = h("span", { className: "dl-muted", "data-testid": "steps-copy-status", role: "status" });
  const copy = h("button", { type: "button", className: "dl-btn", "data-testid": "steps-copy", disabled: true }, "Copy code");
  const close = h("button", { type: "button", className: "dl-btn dl-ghost", "data-testid": "steps-close", title: "Close the Steps panel", "aria-label": "Close" }, "✕");
  const el = h("aside", { className: "dl-steps-panel", "data-testid": "steps-panel", hidden: true, "aria-label": "Steps" },
    h("div", { className: "dl-steps-head" }, h("h2", {}, "Steps"), close),
    h("div", { className: "dl-steps-buttons" }, undo, redo),
    error, empty, list,
    h("div", { className: "dl-steps-head" }, h("h3", {}, "Pandas code"), copy),
    status, code);
  let text = "";
  let busy = false;
  let last: { listing: StepsListing; canRedo: boolean } | null = null;
  close.addEventListener("click", () => actions.close());
  copy.addEventListener("click", async () => {
    if (await actions.copy(text)) {
      status.textContent = "Copied to the clipboard";
      return;
    }
    getSelection()?.selectAllChildren(code);
    status.textContent = "The browser refused the clipboard: the code is selected, press Ctrl+C";
  });

  const sync = () => {
    const steps = last?.listing.steps ?? [];
    undo.disabled = busy || !steps.length;
    redo.disabled = busy || !(last?.canRedo ?? false);
  };
  return {
    el,
    get open() {
      return !el.hidden;
    },
    show: () => void (el.hidden = false),
    hide: () => void (el.hidden = true),
    render(listing, canRedo) {
      last = { listing, canRedo };
      error.textContent = "";
      status.textContent = "";
      list.replaceChildren(...listing.steps.map((step, i) => h("li", { "data-testid": "step-item", title: JSON.stringify(step) }, `${i + 1}. ${stepTitle(step)}`)));
      empty.hidden = listing.steps.length > 0;
      text = listing.code;
      // Other engines' steps have no pandas code (the steps route sends "").
      code.textContent = listing.code || (listing.steps.length
        ? "# pandas code is written for frames shown from pandas; this frame is read through another engine"
        : "# no steps: the frame as you showed it");
      copy.disabled = !listing.code;
      sync();
    },
    showError(message) {
      error.textContent = message;
    },
    setBusy(value) {
      busy = value;
      sync();
    },
  };
}
