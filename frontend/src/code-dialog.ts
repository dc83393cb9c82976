// The Code dialog (issue 17): the pandas code that derives the grid's current view from the
// shown frame, as `inst.code()` writes it, with a Copy button. Escape closes it.

import { h } from "./dom";
import { openDialog } from "./dialog";

export interface CodeDialogOptions {
  /** The code of the current view (the server writes it). */
  load(): Promise<string>;
  /** Writes the clipboard; resolves false when the browser refused. */
  copy(text: string): Promise<boolean>;
}


export function openCodeDialog({ load, copy }: CodeDialogOptions): void {
  const code = h("pre", { className: "dl-code", "data-testid": "code-text", tabindex: 0 }, "Writing the code…");
  const status = h("span", { className: "dl-muted", "data-testid": "code-status", role: "status" });
  const copyButton = h("button", { type: "button", className: "dl-btn", "data-testid": "code-copy", disabled: true }, "Copy");
  const dialog = openDialog("Pandas code for this view", "code-dialog",
    h("p", { className: "dl-muted" }, "Runs on the frame you showed, held in ", h("code", {}, "df"),
      ", and leaves this view in ", h("code", {}, "view"), " (what ", h("code", {}, "inst.code()"), " gives in Python)."),
    code,
    h("div", { className: "dl-dialog-actions" }, copyButton, status));
  let text = "";
  copyButton.addEventListener("click", async () => {
    if (await copy(text)) {
      status.textContent = "Copied to the clipboard";
      return;
    }
    // Refused (no permission in an iframe, say): select the code for Ctrl+C instead.
    getSelection()?.selectAllChildren(code);
    status.textContent = "The browser refused the clipboard: the code is selected, press Ctrl+C";
  });
  load().then(
    (written) => {
      text = written;
      code.textContent = written;
      copyButton.disabled = false;
      copyButton.focus();
    },
    (err: unknown) => {
      code.textContent = "";
      code.hidden = true;
      status.textContent = `No code for this view: ${(err as Error)?.message ?? err}`;
      status.className = "dl-problem";
      status.setAttribute("data-testid", "code-error");
    },
  );
  void dialog;
}
