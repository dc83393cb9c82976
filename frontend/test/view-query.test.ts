import type { ColumnState } from "ag-grid-community";
import { describe, expect, it } from "vitest";
import { ApiError, type RowsResponse } from "../src/api-client";
import { INDEX_COL, ROW_NUMBER_COL } from "../src/grid-columns";
import { EMPTY_VIEW } from "../src/url-state";
import { columnsFromState, fetchColumnsOf, firstPageOutcome, knownTotal, queryOf, sameQuery, settle } from "../src/view-query";

const FRAME = ["id", "f1", "s_lo", "flag"];
const rows: RowsResponse = { offset: 0, limit: 100, total: 7, columns: ["id"], index: [0], data: [[0]] };

describe("view query", () => {
  it("fetches a subset of columns sorted by name, and all columns as null", () => {
    expect(fetchColumnsOf({ columns: ["s_lo", "id"] }, 4)).toEqual(["id", "s_lo"]);
    expect(fetchColumnsOf({ columns: ["flag", "s_lo", "f1", "id"] }, 4)).toBeNull();
    expect(fetchColumnsOf({ columns: null }, 4)).toBeNull();
  });

  it("asks the same query whatever the order of the visible columns", () => {
    const a = queryOf({ ...EMPTY_VIEW, columns: ["f1", "id"], filter: "f1 > 0" });
    const b = queryOf({ ...EMPTY_VIEW, columns: ["id", "f1"], filter: "f1 > 0" });
    expect(a).toEqual({ sort: [], filter: "f1 > 0", columns: ["f1", "id"] });
    expect(sameQuery(a, b)).toBe(true);
    expect(sameQuery(a, queryOf({ ...EMPTY_VIEW, columns: ["id"], filter: "f1 > 0" }))).toBe(false);
  });

  it("knows the row count from the first page, or the frame's when unfiltered", () => {
    expect(knownTotal(rows, "f1 > 0", 1000)).toBe(7);
    expect(knownTotal(null, "", 1000)).toBe(1000);
    expect(knownTotal(null, "  ", 1000)).toBe(1000);
    expect(knownTotal(null, "f1 > 0", 1000)).toBeNull();
  });

  it("reads the visible and pinned columns from the grid, pinned first", () => {
    const state: ColumnState[] = [
      { colId: ROW_NUMBER_COL, pinned: "left" },
      { colId: INDEX_COL, pinned: "left" },
      { colId: "id" },
      { colId: "f1", hide: true },
      { colId: "s_lo", pinned: "left" },
      { colId: "flag", pinned: null },
    ];
    expect(columnsFromState(state, FRAME)).toEqual({ columns: ["s_lo", "id", "flag"], pinned: ["s_lo"] });
  });

  it("reads every column in the frame's order as the default (null)", () => {
    const all = FRAME.map((colId) => ({ colId }));
    expect(columnsFromState(all, FRAME)).toEqual({ columns: null, pinned: [] });
    expect(columnsFromState([...all].reverse(), FRAME)).toEqual({ columns: [...FRAME].reverse(), pinned: [] });
    // A hidden pinned column is neither visible nor pinned.
    expect(columnsFromState([{ colId: "id", pinned: "left", hide: true }, { colId: "f1" }], FRAME)).toEqual({ columns: ["f1"], pinned: [] });
  });
});

describe("the first page, requested before the schema", () => {
  const bad = new ApiError("unknown column 'zz'", 400, 3);
  it("settles to the value or the error", async () => {
    expect(await settle(Promise.resolve(rows))).toEqual({ ok: true, r: rows });
    const err = new Error("x");
    expect(await settle(Promise.reject(err))).toEqual({ ok: false, e: err });
  });
  it("seeds the view when it asked for this view", () => {
    expect(firstPageOutcome({ ok: true, r: rows }, true, "")).toEqual({ kind: "rows", rows });
    expect(firstPageOutcome({ ok: true, r: rows }, false, "")).toEqual({ kind: "none" });
  });
  it("blames a refused request on the URL's filter, if there is one", () => {
    expect(firstPageOutcome({ ok: false, e: bad }, true, "zz > 1")).toEqual({ kind: "bad-filter", error: bad });
    expect(firstPageOutcome({ ok: false, e: bad }, true, "")).toEqual({ kind: "none" });
  });
  it("reports any other failure, unless the request was for another view", () => {
    const down = new ApiError("Cannot reach the dtale_lite server", 0);
    expect(firstPageOutcome({ ok: false, e: down }, true, "zz > 1")).toEqual({ kind: "failed", error: down });
    expect(firstPageOutcome({ ok: false, e: down }, false, "")).toEqual({ kind: "none" });
  });
});
