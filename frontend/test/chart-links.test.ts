import { describe, expect, it } from "vitest";
import { createApiClient } from "../src/api-client";
import { chartParams, columnChart, correlationsParams, viewChart } from "../src/chart-links";
import type { Kind } from "../src/format";

const noFetch = async () => {
  throw new Error("links never fetch");
};

function client(root = "/proxy/8888", key: string | null = "k1", frame: number | string = 3) {
  return createApiClient({ fetch: noFetch, root, key, frame });
}

/** The link as the browser would resolve and read it. */
function parse(href: string) {
  const url = new URL(href, "http://host");
  return { path: url.pathname, params: url.searchParams, pairs: [...url.searchParams] };
}

const AWKWARD = ["my col", 'say "hi"', "it's", "a&b=c", "#tag", "naïve 日本 🙂", "100%", "+plus", "a/b?c"];

describe("chartParams", () => {
  it("writes the settings in the page's order, y repeated, booleans as 1/0", () => {
    expect(chartParams({
      filter: "f1 > 0",
      barmode: "stack",
      log_y: false,
      log_x: true,
      bins: 40,
      freq: "day",
      group: "cat",
      agg: "mean",
      z: "f3",
      y: ["f1", "f2"],
      x: "ts",
      type: "bar",
    })).toEqual([
      ["type", "bar"], ["x", "ts"], ["y", "f1"], ["y", "f2"], ["z", "f3"], ["agg", "mean"],
      ["group", "cat"], ["freq", "day"], ["bins", "40"], ["log_x", "1"], ["log_y", "0"],
      ["barmode", "stack"], ["filter", "f1 > 0"],
    ]);
  });
  it("takes one y as a string and leaves out what is unset", () => {
    expect(chartParams({ type: "line", y: "f1" })).toEqual([["type", "line"], ["y", "f1"]]);
    expect(chartParams({})).toEqual([]);
    expect(chartParams({ y: [] })).toEqual([]);
  });
  it("leaves out an empty or blank filter and trims a real one", () => {
    expect(chartParams({ filter: "" })).toEqual([]);
    expect(chartParams({ filter: "  \n " })).toEqual([]);
    expect(chartParams({ filter: "  i_small < 3 " })).toEqual([["filter", "i_small < 3"]]);
  });
});

describe("columnChart", () => {
  const cases: Array<[Kind, string]> = [
    ["int", "histogram"],
    ["float", "histogram"],
    ["datetime", "histogram"],
    ["timedelta", "histogram"],
    ["string", "bar"],
    ["category", "bar"],
    ["bool", "bar"],
    ["object", "bar"],
  ];
  it.each(cases)("a %s column gets a %s", (kind, type) => {
    expect(columnChart({ name: "c", kind }, "")).toEqual({ type, x: "c", filter: "" });
    expect(chartParams(columnChart({ name: "c", kind }, ""))).toEqual([["type", type], ["x", "c"]]);
  });
  it("carries the filter", () => {
    expect(chartParams(columnChart({ name: "f1", kind: "float" }, 's_lo == "cat_03"'))).toEqual([
      ["type", "histogram"], ["x", "f1"], ["filter", 's_lo == "cat_03"'],
    ]);
  });
});

describe("chart links of the API client", () => {
  it("'Chart this view' opens the frame's chart page with the key and the filter", () => {
    const { path, pairs } = parse(client().chartUrl(viewChart('s_lo == "cat_03" and f1 > 1')));
    expect(path).toBe("/proxy/8888/charts/3");
    expect(pairs).toEqual([["key", "k1"], ["filter", 's_lo == "cat_03" and f1 > 1']]);
  });
  it("has no filter parameter when the view is unfiltered", () => {
    expect(client().chartUrl(viewChart(""))).toBe("/proxy/8888/charts/3?key=k1");
    expect(client("", null, 1).chartUrl(viewChart(" "))).toBe("/charts/1");
  });
  it("'Correlations' opens the correlations page with the key and the filter", () => {
    expect(client().correlationsUrl("")).toBe("/proxy/8888/charts/3/correlations?key=k1");
    expect(client().analysisUrl("duplicates", "")).toBe("/proxy/8888/charts/3/duplicates?key=k1");
    expect(parse(client().analysisUrl("outliers", " f1 > 0 ")).pairs).toEqual([["key", "k1"], ["filter", "f1 > 0"]]);
    const { path, pairs } = parse(client().correlationsUrl("flag == true", "spearman"));
    expect(path).toBe("/proxy/8888/charts/3/correlations");
    expect(pairs).toEqual([["key", "k1"], ["method", "spearman"], ["filter", "flag == true"]]);
    expect(correlationsParams("", "pearson")).toEqual([["method", "pearson"]]);
  });
  it("escapes the key and a frame given by name", () => {
    const { path, params } = parse(client("/r/", "k&1 #2", "my sales").chartUrl({}));
    expect(path).toBe("/r/charts/my%20sales");
    expect(params.get("key")).toBe("k&1 #2");
  });
  it.each(AWKWARD)("round-trips the column name %j in x, y, group and the filter", (name) => {
    const filter = `\`${name}\` == "${name}"`;
    const href = client().chartUrl({ type: "scatter", x: name, y: [name, "f1"], group: name, filter });
    // Nothing in a name can end a parameter, start a fragment or break the link.
    expect(href).not.toMatch(/[ "#]/);
    expect(href.split("?")[1].split("&")).toHaveLength(7);
    const { params } = parse(href);
    expect(params.get("x")).toBe(name);
    expect(params.getAll("y")).toEqual([name, "f1"]);
    expect(params.get("group")).toBe(name);
    expect(params.get("filter")).toBe(filter);
    expect(params.get("key")).toBe("k1");
    expect(parse(client().chartUrl(columnChart({ name, kind: "string" }, ""))).pairs).toEqual([
      ["key", "k1"], ["type", "bar"], ["x", name],
    ]);
  });
  it("keeps the index page link as before", () => {
    expect(client().pageUrl("/")).toBe("/proxy/8888/?key=k1");
    expect(client("", null).pageUrl("/")).toBe("/");
  });
});
