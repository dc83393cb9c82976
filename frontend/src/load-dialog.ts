// The Load data dialog (issue 17): a CSV, TSV, Parquet, JSON or Excel file from this computer
// (or a URL, when the server allows it) into a new frame, whose page then opens. The server
// states its size limit; the dialog says it before the upload and checks it first.

import type { LoadedFrame, UploadLimits } from "./api-client";
import { h } from "./dom";
import { openDialog } from "./dialog";

export const ACCEPT = ".csv,.tsv,.tab,.txt,.parquet,.pq,.json,.jsonl,.ndjson,.xlsx,.xlsm,.xls";

/** 104857600 -> "100 MB", 1500 -> "1.5 KB". */
export function formatBytes(n: number): string {
  const units = ["bytes", "KB", "MB", "GB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(value) : String(Math.round(value * 10) / 10);
  return `${text} ${units[unit]}`;
}

/** What the dialog says the server takes. */
export function limitText(limits: UploadLimits): string {
  return `CSV, TSV, Parquet, JSON or Excel, up to ${formatBytes(limits.max_bytes)}`;
}

/** Why `file` will not be sent, or null: checked here so a big file is not sent for nothing. */
export function uploadProblem(file: { name: string; size: number } | null, limits: UploadLimits): string | null {
  if (!file) return "Choose a file first";
  if (file.size > limits.max_bytes) {
    return `${file.name} is ${formatBytes(file.size)}; this server takes files up to ${formatBytes(limits.max_bytes)}`;
  }
  return null;
}

export interface LoadDialogOptions {
  limits(): Promise<UploadLimits>;
  upload(form: FormData): Promise<LoadedFrame>;
  /** The new frame is loaded: open its page. */
  open(frame: LoadedFrame): void;
}

export function openLoadDialog({ limits, upload, open }: LoadDialogOptions): void {
  const limit = h("p", { className: "dl-muted", "data-testid": "load-limit" }, "Asking the server what it takes…");
  const file = h("input", { type: "file", "data-testid": "load-file", accept: ACCEPT, "aria-label": "file" });
  const name = h("input", { type: "text", "data-testid": "load-name", placeholder: "name (default: the file's)", "aria-label": "frame name" });
  const url = h("input", { type: "url", "data-testid": "load-url", placeholder: "https://… (instead of a file)", "aria-label": "URL", hidden: true });
  const urlNote = h("p", { className: "dl-muted", "data-testid": "load-url-note", hidden: true });
  const problem = h("div", { className: "dl-problem", "data-testid": "load-error", role: "alert" });
  const submit = h("button", { type: "submit", className: "dl-btn", "data-testid": "load-submit", disabled: true }, "Load");
  const form = h("form", { className: "dl-load-form", "data-testid": "load-form" }, limit, file, url, urlNote, name,
    h("div", { className: "dl-dialog-actions" }, submit, problem));
  openDialog("Load data into a new frame", "load-dialog", form);
  let known: UploadLimits | null = null;

  limits().then(
    (got) => {
      known = got;
      limit.textContent = limitText(got);
      url.hidden = !got.from_url;
      urlNote.hidden = got.from_url;
      urlNote.textContent = "Loading from a URL is off on this server (start it with allow_url_loads=True or dtale-lite --allow-url-loads).";
      submit.disabled = false;
    },
    (err: unknown) => (problem.textContent = (err as Error)?.message ?? String(err)),
  );

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!known) return;
    const chosen = file.files?.[0] ?? null;
    const address = url.hidden ? "" : url.value.trim();
    const wrong = address && !chosen ? null : uploadProblem(chosen, known);
    if (wrong) {
      problem.textContent = wrong;
      return;
    }
    const body = new FormData();
    if (chosen) body.append("file", chosen, chosen.name);
    else body.append("url", address);
    if (name.value.trim()) body.append("name", name.value.trim());
    problem.textContent = "";
    submit.disabled = true;
    submit.textContent = "Loading…";
    try {
      open(await upload(body));
    } catch (err) {
      problem.textContent = (err as Error)?.message ?? String(err);
      submit.disabled = false;
      submit.textContent = "Load";
    }
  });
}
