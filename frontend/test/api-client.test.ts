import { describe, expect, it } from "vitest";
import { ApiError, CLIENT_HEADER, createApiClient, KEY_HEADER } from "../src/api-client";

function fakeFetch(body: unknown, status = 200) {
  const calls: Array<{ url: string; headers?: Record<string, string>; method?: string; body?: string | FormData }> = [];
  const fetch = async (url: string, init?: { headers?: Record<string, string>; method?: string; body?: string | FormData }) => {
    calls.push({ url, headers: init?.headers, method: init?.method, body: init?.body });
    return { ok: status < 400, status, text: async () => JSON.stringify(body) };
  };
  return { calls, fetch };
}

describe("api client", () => {
  it("prefixes the root and sends the key as a header", async () => {
    const fake = fakeFetch({ ok: true, offset: 0, limit: 2, total: 2, columns: [], index: [], data: [] });
    const api = createApiClient({ fetch: fake.fetch, root: "/proxy/8888", key: "k1", frame: 3, clientId: "tab-1" });
    await api.rows(0, 100, { sort: [["f1", "desc"]], filter: "f1 > 1", columns: ["id", "f1"] });
    const url = new URL(fake.calls[0].url, "http://x");
    expect(url.pathname).toBe("/proxy/8888/api/frames/3/rows");
    expect(url.searchParams.get("sort")).toBe('[["f1","desc"]]');
    expect(url.searchParams.get("filter")).toBe("f1 > 1");
    expect(url.searchParams.get("columns")).toBe('["id","f1"]');
    expect(url.searchParams.get("key")).toBeNull();
    expect(fake.calls[0].headers).toEqual({ [KEY_HEADER]: "k1", [CLIENT_HEADER]: "tab-1" });
  });
  it("gives each page a client id of its own and sends it with every request", async () => {
    const fake = fakeFetch({ ok: true, rows: 1, columns: [] });
    const one = createApiClient({ fetch: fake.fetch, root: "", key: null, frame: 1 });
    const two = createApiClient({ fetch: fake.fetch, root: "", key: null, frame: 1 });
    expect(one.clientId).toMatch(/^[0-9a-f]{24}$/);
    expect(two.clientId).not.toBe(one.clientId);
    await one.schema();
    await one.describe("a", "");
    expect(fake.calls.map((c) => c.headers?.[CLIENT_HEADER])).toEqual([one.clientId, one.clientId]);
  });
  it("omits empty view parameters and works with no key and no root", async () => {
    const fake = fakeFetch({ ok: true, rows: 1, columns: [] });
    const api = createApiClient({ fetch: fake.fetch, root: "", key: null, frame: 1 });
    await api.schema();
    await api.rows(0, 10, { sort: [], filter: "  ", columns: null });
    expect(fake.calls.map((c) => c.url)).toEqual(["/api/frames/1/schema", "/api/frames/1/rows?offset=0&limit=10"]);
    expect(fake.calls[0].headers).toEqual({ [CLIENT_HEADER]: api.clientId });
  });
  it("reports the grid's view with a JSON POST carrying the key header", async () => {
    const fake = fakeFetch({ ok: true, stored: true });
    const api = createApiClient({ fetch: fake.fetch, root: "/r", key: "k1", frame: "sales", clientId: "tab-2" });
    const answer = await api.reportView({ filter: "f1 > 0", sort: [["f1", "asc"]], columns: null, page: "p", seq: 3 });
    expect(answer.stored).toBe(true);
    expect(fake.calls[0].url).toBe("/r/api/frames/sales/view");
    expect(fake.calls[0].method).toBe("POST");
    expect(fake.calls[0].headers).toEqual({ [KEY_HEADER]: "k1", [CLIENT_HEADER]: "tab-2", "Content-Type": "application/json" });
    expect(JSON.parse(fake.calls[0].body as string)).toEqual({ filter: "f1 > 0", sort: [["f1", "asc"]], columns: null, page: "p", seq: 3 });
  });
  it("adds the page parameters (the chosen theme) to page links, not to API URLs", () => {
    let theme: Array<[string, string]> = [["theme", "dark"]];
    const api = createApiClient({ fetch: fakeFetch({}).fetch, root: "/r", key: "k", frame: 2, pageParams: () => theme });
    const chart = new URL(api.chartUrl({ type: "bar", x: "a" }), "http://x").searchParams;
    expect([chart.get("key"), chart.get("type"), chart.get("theme")]).toEqual(["k", "bar", "dark"]);
    expect(new URL(api.exportUrl("csv", {}), "http://x").searchParams.get("theme")).toBeNull();
    theme = [];
    expect(new URL(api.correlationsUrl(""), "http://x").searchParams.get("theme")).toBeNull();
  });
  it("puts the key in export links", () => {
    const api = createApiClient({ fetch: fakeFetch({}).fetch, root: "/r", key: "k&1", frame: 2 });
    const url = new URL(api.exportUrl("csv", { filter: "a > 1" }), "http://x");
    expect(url.pathname).toBe("/r/api/frames/2/export");
    expect(url.searchParams.get("format")).toBe("csv");
    expect(url.searchParams.get("filter")).toBe("a > 1");
    expect(url.searchParams.get("key")).toBe("k&1");
  });
  it("throws ApiError with status and position on ok:false", async () => {
    const api = createApiClient({
      fetch: fakeFetch({ ok: false, error: "unknown column 'zz' at 0", status: 400, position: 0 }, 400).fetch,
      root: "",
      key: null,
      frame: 1,
    });
    const err = await api.rows(0, 1, { filter: "zz > 1" }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe("unknown column 'zz' at 0");
    expect(err.status).toBe(400);
    expect(err.position).toBe(0);
  });
  it("turns network failures and non-JSON into ApiError", async () => {
    const down = createApiClient({ fetch: async () => { throw new TypeError("Failed to fetch"); }, root: "", key: null, frame: 1 });
    const e1 = await down.schema().catch((e) => e);
    expect(e1).toBeInstanceOf(ApiError);
    expect(e1.status).toBe(0);
    const html = createApiClient({
      fetch: async () => ({ ok: false, status: 502, text: async () => "<html>Bad gateway</html>" }),
      root: "", key: null, frame: 1,
    });
    const e2 = await html.schema().catch((e) => e);
    expect(e2.status).toBe(502);
  });
});

describe("the grid's tools (issue 17)", () => {
  it("asks for the code of a view and posts an upload as a form", async () => {
    const fake = fakeFetch({ ok: true, code: "view = df", id: 4, name: "sales", rows: 3, columns: 2, url: "/frames/4?key=k" });
    const api = createApiClient({ fetch: fake.fetch, root: "/r", key: "k", frame: 2 });
    expect(await api.code({ filter: "a > 1", sort: [["a", "desc"]], columns: null })).toBe("view = df");
    expect(fake.calls[0].url).toBe('/r/api/frames/2/code?sort=%5B%5B%22a%22%2C%22desc%22%5D%5D&filter=a+%3E+1');
    const form = new FormData();
    form.append("file", new Blob(["a\n1\n"]), "sales.csv");
    const loaded = await api.upload(form);
    expect(loaded.url).toBe("/frames/4?key=k");
    expect(fake.calls[1]).toMatchObject({ url: "/r/api/upload", method: "POST", body: form });
    // The browser writes the multipart Content-Type (with its boundary) itself.
    expect(fake.calls[1].headers?.["Content-Type"]).toBeUndefined();
    expect(fake.calls[1].headers?.[KEY_HEADER]).toBe("k");
  });
});
