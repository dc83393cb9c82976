import type { IGetRowsParams } from "ag-grid-community";
import { describe, expect, it } from "vitest";
import type { RowsResponse, ViewQuery } from "../src/api-client";
import type { GridRow } from "../src/grid-columns";
import { createRowSource, toPage } from "../src/row-source";

/** A server of `total` rows with columns id and x; `exact` says whether it counted them. */
function response(offset: number, limit: number, total: number, exact = true): RowsResponse {
  const ids = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
  return { offset, limit, total, total_exact: exact, columns: ["id", "x"], index: ids.map((i) => `r${i}`), data: ids.map((i) => [i, i * 10]) };
}

function deferredServer() {
  const calls: Array<{ offset: number; limit: number; query: ViewQuery; answer(resp: RowsResponse): void; fail(err: unknown): void }> = [];
  const fetchRows = (offset: number, limit: number, query: ViewQuery) =>
    new Promise<RowsResponse>((resolve, reject) => calls.push({ offset, limit, query, answer: resolve, fail: reject }));
  return { calls, fetchRows };
}

/** What a grid's block request hears back. */
function block(startRow: number, endRow: number) {
  const heard: { rows?: GridRow[]; total?: number; failed: boolean } = { failed: false };
  const params = {
    startRow,
    endRow,
    successCallback: (rows: GridRow[], total?: number) => Object.assign(heard, { rows, total }),
    failCallback: () => (heard.failed = true),
  } as unknown as IGetRowsParams;
  return { params, heard };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const server = deferredServer();
  const pages: number[] = [];
  const errors: unknown[] = [];
  const source = createRowSource({ fetchRows: server.fetchRows, pageSize: 100, maxPages: 5, onPage: (t) => pages.push(t), onError: (e) => errors.push(e) });
  return { server, pages, errors, source };
}

describe("row source", () => {
  it("turns the server's column arrays into rows keyed by column, with their index", () => {
    const page = toPage(response(5, 2, 50));
    expect(page.total).toBe(50);
    expect(page.rows).toEqual([
      { index: "r5", values: { id: 5, x: 50 } },
      { index: "r6", values: { id: 6, x: 60 } },
    ]);
  });

  it("hands a block of the current view to the grid with the view's total", async () => {
    const { server, pages, source } = setup();
    const query = { sort: [["x", "desc"]] as Array<[string, "asc" | "desc"]>, filter: "x > 1", columns: null };
    source.reset(query, null);
    const ds = source.datasource(null);
    expect(ds.rowCount).toBeUndefined();
    const { params, heard } = block(100, 200);
    ds.getRows(params);
    expect(server.calls.map((c) => [c.offset, c.limit, c.query])).toEqual([[100, 100, query]]);
    server.calls[0].answer(response(100, 100, 250));
    await tick();
    expect(heard.total).toBe(250);
    expect(heard.rows!.map((r) => r.values.id)).toEqual(Array.from({ length: 100 }, (_, i) => 100 + i));
    expect(pages).toEqual([250]);
    expect(source.datasource(250).rowCount).toBe(250);
  });

  it("refuses a block that arrives after the view changed, and does not report it", async () => {
    const { server, pages, errors, source } = setup();
    source.reset({ filter: "old" }, null);
    const old = block(0, 100);
    source.datasource(null).getRows(old.params);
    source.reset({ filter: "new" }, null);
    server.calls[0].answer(response(0, 100, 1000));
    await tick();
    expect(old.heard).toEqual({ failed: true });
    expect(pages).toEqual([]);

    const oldFailure = block(100, 200);
    source.reset({ filter: "a" }, null);
    source.datasource(null).getRows(oldFailure.params);
    source.reset({ filter: "b" }, null);
    server.calls[1].fail(new Error("down"));
    await tick();
    expect(oldFailure.heard.failed).toBe(true);
    expect(errors).toEqual([]);
  });

  it("reports a failed block of the current view", async () => {
    const { server, errors, pages, source } = setup();
    source.reset({}, null);
    const { params, heard } = block(0, 100);
    source.datasource(null).getRows(params);
    const err = new Error("server down");
    server.calls[0].fail(err);
    await tick();
    expect(heard.failed).toBe(true);
    expect(errors).toEqual([err]);
    expect(pages).toEqual([]);
  });

  it("serves a primed first page without asking the server", async () => {
    const { server, source } = setup();
    source.reset({ filter: "x > 1" }, response(0, 100, 40, false));
    expect(source.totalExact).toBe(false);
    const { params, heard } = block(0, 40);
    source.datasource(40).getRows(params);
    await tick();
    expect(server.calls).toEqual([]);
    expect(heard.rows!.length).toBe(40);
    expect(source.cache.peek(0, 2)!.map((r) => r.index)).toEqual(["r0", "r1"]);
  });

  it("tracks whether the engine counted the view exactly, from its last page", async () => {
    const { server, source } = setup();
    source.reset({}, response(0, 100, 1000, true));
    expect(source.totalExact).toBe(true);
    source.datasource(1000).getRows(block(500, 600).params);
    server.calls[0].answer(response(500, 100, 1000, false));
    await tick();
    expect(source.totalExact).toBe(false);
  });
});
