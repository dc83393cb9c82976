// A modal dialog (the Code and Load data dialogs): a native <dialog> shown modal, so focus
// stays inside it and Escape closes it; it removes itself from the page when closed.

import { h } from "./dom";

export interface Dialog {
  el: HTMLDialogElement;
  close(): void;
}

/** Opens a dialog titled `title` holding `content`; `testid` names it and its ✕ button. */
export function openDialog(title: string, testid: string, ...content: Node[]): Dialog {
  const closeButton = h("button", { type: "button", className: "dl-btn dl-ghost dl-dialog-x", "data-testid": `${testid}-close`, title: "Close (Escape)", "aria-label": "Close" }, "✕");
  const el = h("dialog", { className: "dl-dialog", "data-testid": testid, "aria-label": title },
    h("div", { className: "dl-dialog-head" }, h("h2", { className: "dl-dialog-title" }, title), closeButton),
    ...content);
  const close = () => {
    if (el.open) el.close();
  };
  closeButton.addEventListener("click", close);
  // The grid listens for keys on the document (copy, page down): keep the dialog's to itself.
  el.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") e.stopPropagation();
  });
  el.addEventListener("close", () => el.remove());
  document.body.append(el);
  el.showModal();
  return { el, close };
}
