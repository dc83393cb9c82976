// A tiny element builder: text goes in as text (never as HTML), so values from the frame
// cannot inject markup.

type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.replace(/^on/, "").toLowerCase(), value);
    else if (name === "className") el.className = String(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Array<Node | string>): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  el.append(...children);
  return el;
}

/** Closes a popup on outside click or Escape; returns the function that closes it. */
export function openPopup(popup: HTMLElement, anchor: HTMLElement | null, onClose?: () => void): () => void {
  document.body.append(popup);
  if (anchor) {
    const r = anchor.getBoundingClientRect();
    const width = popup.offsetWidth || 260;
    popup.style.left = `${Math.max(4, Math.min(window.innerWidth - width - 4, r.left))}px`;
    popup.style.top = `${Math.min(r.bottom + 2, window.innerHeight - 40)}px`;
  }
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    popup.remove();
    document.removeEventListener("mousedown", onDown, true);
    document.removeEventListener("keydown", onKey, true);
    onClose?.();
  };
  const onDown = (e: Event) => {
    if (!popup.contains(e.target as Node) && !(anchor && anchor.contains(e.target as Node))) close();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      close();
    }
  };
  document.addEventListener("mousedown", onDown, true);
  document.addEventListener("keydown", onKey, true);
  return close;
}
