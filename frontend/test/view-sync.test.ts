import { describe, expect, it } from "vitest";
import { createApiClient } from "../src/api-client";
import type { ToolbarLinks } from "../src/page-layout";
import type { ViewState } from "../src/url-state";
import type { GridView } from "../src/view-report";
import { createViewSync } from "../src/view-sync";

function setup({ refuse = false, exportExtra }: { refuse?: boolean; exportExtra?: () => Record<string, string> } = {}) {
  const urls: string[] = [];
  const win = {
    location: { search: "?key=k1&sort=x", pathname: "/dtale/frames/3", hash: "#top" },
    history: {
      state: { from: "test" },
      replaceState(data: unknown, _unused: string, url: string) {
        if (refuse) throw new DOMException("sandboxed", "SecurityError");
        expect(data).toEqual({ from: "test" });
        urls.push(url);
      },
    },
  };
  let links: ToolbarLinks | null = null;
  const reports: GridView[] = [];
  const api = createApiClient({ fetch: async () => { throw new Error("no fetch in this test"); }, root: "/dtale", key: "k1", frame: 3, clientId: "c" });
  const sync = createViewSync({ win, urls: api, setLinks: (l) => (links = l), reporter: { report: (v) => reports.push(v) }, exportExtra });
  return { sync, urls, links: () => links!, reports };
}

const VIEW: ViewState = { sort: [["f1", "desc"]], filter: "f1 > 1", columns: ["f1", "id"], pinned: ["f1"] };

describe("view sync", () => {
  it("adds the formatted export's parameters to the text formats only (issue 16)", () => {
    const { sync, links } = setup({ exportExtra: () => ({ formatted: "true", formats: '{"f1":{"decimals":1}}' }) });
    sync(VIEW);
    const csv = new URL(links().exportUrl("csv"), "http://x").searchParams;
    expect([csv.get("formatted"), csv.get("formats"), csv.get("filter")]).toEqual(["true", '{"f1":{"decimals":1}}', "f1 > 1"]);
    expect(new URL(links().exportUrl("parquet"), "http://x").searchParams.get("formatted")).toBeNull();
  });

  it("writes the view into the URL, keeping the key, the path and the hash", () => {
    const { sync, urls } = setup();
    sync(VIEW);
    const url = new URL(urls[0], "http://x");
    expect(url.pathname).toBe("/dtale/frames/3");
    expect(url.hash).toBe("#top");
    expect(url.searchParams.get("key")).toBe("k1");
    expect(url.searchParams.get("sort")).toBe('[["f1","desc"]]');
    expect(url.searchParams.get("filter")).toBe("f1 > 1");
    expect(url.searchParams.get("pinned")).toBe('["f1"]');
  });

  it("points the export and chart links at the view, and reports it", () => {
    const { sync, links, reports } = setup();
    sync(VIEW);
    const csv = new URL(links().exportUrl("csv"), "http://x");
    expect(csv.pathname).toBe("/dtale/api/frames/3/export");
    expect(csv.searchParams.get("format")).toBe("csv");
    expect(csv.searchParams.get("filter")).toBe("f1 > 1");
    expect(csv.searchParams.get("columns")).toBe('["f1","id"]');
    expect(csv.searchParams.get("key")).toBe("k1");
    expect(new URL(links().exportUrl("parquet"), "http://x").searchParams.get("format")).toBe("parquet");
    expect(new URL(links().chartUrl, "http://x").pathname).toBe("/dtale/charts/3");
    expect(links().chartUrl).toContain("f1+%3E+1");
    expect(new URL(links().correlationsUrl, "http://x").searchParams.get("filter")).toBe("f1 > 1");
    const missing = new URL(links().analysisUrl("missing"), "http://x");
    expect(missing.pathname).toBe("/dtale/charts/3/missing");
    expect(missing.searchParams.get("filter")).toBe("f1 > 1");
    expect(missing.searchParams.get("key")).toBe("k1");
    expect(new URL(links().analysisUrl("timeseries"), "http://x").pathname).toBe("/dtale/charts/3/timeseries");
    expect(reports).toEqual([{ filter: "f1 > 1", sort: [["f1", "desc"]], columns: ["f1", "id"] }]);
  });

  it("still updates the links and the report when the page may not change its URL", () => {
    const { sync, urls, links, reports } = setup({ refuse: true });
    sync(VIEW);
    expect(urls).toEqual([]);
    expect(links().correlationsUrl).toContain("f1+%3E+1");
    expect(reports.length).toBe(1);
  });
});
