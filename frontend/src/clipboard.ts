// The browser's two ways to write the clipboard.

import { h } from "./dom";

/** Copies `text` synchronously with execCommand: it works inside a key press even in a
 * cross-origin iframe without the clipboard-write permission. False when refused. */
export function writeClipboardNow(text: string): boolean {
  const active = document.activeElement as HTMLElement | null;
  const area = h("textarea", { className: "dl-offscreen", "aria-hidden": "true" });
  area.value = text;
  document.body.append(area);
  area.select();
  let done = false;
  try {
    done = document.execCommand("copy");
  } catch {
    done = false;
  }
  area.remove();
  active?.focus({ preventScroll: true });
  return done;
}

/** Copies `text` with the async clipboard API; resolves false when refused or missing. */
export function writeClipboardLater(text: string): Promise<boolean> {
  return navigator.clipboard ? navigator.clipboard.writeText(text).then(() => true, () => false) : Promise.resolve(false);
}
