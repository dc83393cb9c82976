// The page's configuration, embedded by the server as JSON in #dtale-config.

export interface PageConfig {
  frameId: number;
  frameName: string | null;
  key: string | null;
  root: string;
  assets: string;
  title: string;
}

export function readConfig(doc: Document): PageConfig {
  const node = doc.getElementById("dtale-config");
  if (!node || !node.textContent) throw new Error("the page has no #dtale-config");
  const raw = JSON.parse(node.textContent) as Partial<PageConfig>;
  // Fall back to the URL's key: the page must never lose it (e.g. a proxy that drops nothing
  // but a template that was rendered without auth knowledge).
  const urlKey = new URLSearchParams(doc.location?.search ?? "").get("key");
  return {
    frameId: Number(raw.frameId),
    frameName: raw.frameName ?? null,
    key: raw.key ?? urlKey ?? null,
    root: (raw.root ?? "").replace(/\/+$/, ""),
    assets: raw.assets ?? "",
    title: raw.title ?? "dtale_lite",
  };
}
