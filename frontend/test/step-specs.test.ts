import { describe, expect, it } from "vitest";
import { buildPreset } from "../src/steps-controls";
import { BUILD_KINDS, buildBody, COLUMN_OPS, conversionsFor, FieldError, readPairs, SUMMARY_KINDS } from "../src/step-specs";

const columns = ["price", "qty", "region", "when"];

describe("the step dialogs' bodies", () => {
  it("builds an arithmetic column with a number or a column on the right", () => {
    const raw = { name: "double", left: "price", operator: "*", right: "2" };
    expect(buildBody(BUILD_KINDS.arithmetic, raw, columns)).toEqual({ op: "add_column", kind: "arithmetic", name: "double", left: "price", operator: "*", right: 2 });
    expect(buildBody(BUILD_KINDS.arithmetic, { ...raw, right: "qty" }, columns).right).toBe("qty");
    expect(() => buildBody(BUILD_KINDS.arithmetic, { ...raw, right: "nope" }, columns)).toThrow(FieldError);
  });
  it("reads bins as a count or as edges, and leaves out empty optional fields", () => {
    const raw = { name: "b", column: "price", bins: "5", quantiles: "", labels: "" };
    expect(buildBody(BUILD_KINDS.bins, raw, columns)).toEqual({ op: "add_column", kind: "bins", name: "b", column: "price", bins: 5 });
    expect(buildBody(BUILD_KINDS.bins, { ...raw, bins: "0, 10.5, 100", labels: "low, high" }, columns)).toMatchObject({ bins: [0, 10.5, 100], labels: ["low", "high"] });
  });
  it("names the field that is missing", () => {
    try {
      buildBody(BUILD_KINDS.copy, { name: "c", column: "" }, columns);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FieldError);
      expect((err as FieldError).field).toBe("column");
    }
  });
  it("makes a group-by's aggregations from two lists", () => {
    const body = buildBody(SUMMARY_KINDS.groupby, { by: ["region"], agg_columns: ["price", "qty"], agg_functions: ["sum", "mean"], name: "" }, columns);
    expect(body).toEqual({ kind: "groupby", by: ["region"], aggregations: { price: ["sum", "mean"], qty: ["sum", "mean"] } });
    expect(() => buildBody(SUMMARY_KINDS.groupby, { by: ["region"], agg_columns: ["price"], agg_functions: [] }, columns)).toThrow("at least one");
  });
  it("fixes the menu's column and reads replace pairs", () => {
    expect(buildBody(COLUMN_OPS.rename, { to: "p" }, columns, { column: "price" })).toEqual({ op: "rename", column: "price", to: "p" });
    expect(readPairs("values", "-999 -> missing\nN/A->n/a\n\n")).toEqual([["-999", null], ["N/A", "n/a"]]);
    expect(() => readPairs("values", "oops")).toThrow('needs "->"');
    expect(buildBody(COLUMN_OPS.value_counts ?? SUMMARY_KINDS.value_counts, { columns: ["region"], normalize: true }, columns)).toEqual({ kind: "value_counts", columns: ["region"], normalize: true });
  });
  it("offers the conversions that fit a column's kind", () => {
    expect(conversionsFor("string")).toEqual(["int", "float", "bool", "category", "datetime", "timedelta"]);
    expect(conversionsFor("datetime")).toEqual(["string", "category"]);
    expect(conversionsFor("timedelta")).toEqual(["string", "category"]);
    expect(conversionsFor("float")).toEqual(["int", "string", "bool", "category", "datetime", "timedelta"]);
  });
  it("starts Build column from a column with a kind that fits it", () => {
    expect(buildPreset({ name: "when", kind: "datetime", dtype: "datetime64[ns]" }).kind).toBe("datetime_part");
    expect(buildPreset({ name: "price", kind: "float", dtype: "float64" })).toEqual({ kind: "arithmetic", preset: { left: "price", name: "price_2" } });
    expect(buildPreset({ name: "region", kind: "string", dtype: "str" }).kind).toBe("string");
  });
});
