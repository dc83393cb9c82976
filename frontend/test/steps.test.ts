import { describe, expect, it } from "vitest";
import { followSchema, inferRename } from "../src/schema-follow";
import { createStepsClient, type Step, type StepsListing } from "../src/steps-client";
import { createStepsSession, STALE_MESSAGE, stepTitle } from "../src/steps-session";
import { panelOf, withPanel, writeViewState, type ViewState } from "../src/url-state";

class FakeError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** A fake server: a list of steps, a version, a redo stack; 409 on a stale version. */
function fakeServer() {
  let steps: Step[] = [];
  let undone: Step[] = [];
  let version = 0;
  const listing = (): StepsListing => ({ steps: [...steps], version, code: steps.map((s) => `# ${s.op}`).join("\n") });
  const check = (v: number | null) => {
    if (v !== null && v !== version) throw new FakeError("the frame changed", 409);
  };
  return {
    other(step: Step) {
      steps.push(step);
      version++;
    },
    client: {
      list: async () => listing(),
      async apply(step: Step, v: number | null) {
        check(v);
        if (step.op === "bad") throw new FakeError("parameter 'op' must be one of …", 400);
        steps.push(step);
        undone = [];
        version++;
        return listing();
      },
      async undo(v: number | null) {
        check(v);
        if (!steps.length) throw new FakeError("nothing to undo", 409);
        undone.push(steps.pop()!);
        version++;
        return listing();
      },
      async redo(v: number | null) {
        check(v);
        if (!undone.length) throw new FakeError("nothing to redo", 409);
        steps.push(undone.pop()!);
        version++;
        return listing();
      },
    },
  };
}

describe("the steps session", () => {
  it("sends the version it knows and tells the page after each change", async () => {
    const server = fakeServer();
    const changes: string[] = [];
    const session = createStepsSession({ client: server.client, onChange: (l, c) => void changes.push(`${c.action}:${l.steps.length}:${l.version}`) });
    await session.load();
    await session.apply({ op: "drop", columns: ["a"] });
    await session.apply({ op: "rename", column: "b", to: "c" });
    await session.undo();
    expect(session.canRedo).toBe(true);
    await session.redo();
    expect(session.canRedo).toBe(false);
    expect(changes).toEqual(["apply:1:1", "apply:2:2", "undo:1:3", "redo:2:4"]);
    expect(session.listing?.code).toBe("# drop\n# rename");
  });
  it("says the frame changed in another page when its version moved on", async () => {
    const server = fakeServer();
    const session = createStepsSession({ client: server.client, onChange: () => {} });
    await session.load();
    server.other({ op: "drop", columns: ["x"] });
    await expect(session.apply({ op: "drop", columns: ["a"] })).rejects.toMatchObject({ message: STALE_MESSAGE, status: 409 });
  });
  it("passes the server's own message for nothing to undo and for a 400", async () => {
    const server = fakeServer();
    const session = createStepsSession({ client: server.client, onChange: () => {} });
    await session.load();
    await expect(session.undo()).rejects.toMatchObject({ message: "nothing to undo", status: 409 });
    await expect(session.apply({ op: "bad" })).rejects.toMatchObject({ status: 400 });
    expect(session.listing?.steps).toEqual([]);
  });
  it("titles steps for the panel", () => {
    expect(stepTitle({ op: "add_column", name: "g", kind: "arithmetic" })).toBe("add column 'g' (arithmetic)");
    expect(stepTitle({ op: "drop_missing", columns: ["a", "b"] })).toBe("drop missing 'a', 'b'");
    expect(stepTitle({ op: "rename", column: "a", to: "b" })).toBe("rename 'a' to 'b'");
    expect(stepTitle({ op: "edit", column: "a", row: 4, value: 1 })).toBe("edit 'a' at row 4");
    expect(stepTitle({ op: "drop_duplicates" })).toBe("drop duplicates");
  });
});

describe("the steps client", () => {
  it("posts JSON bodies with the version to the steps routes", async () => {
    const calls: Array<[string, unknown]> = [];
    const fetchJson = async <T,>(url: string, _signal?: AbortSignal, post?: unknown) => {
      calls.push([url, post]);
      return {} as T;
    };
    const client = createStepsClient(fetchJson, "/r/api/frames/3");
    await client.list();
    await client.apply({ op: "drop", columns: ["a"] }, 4);
    await client.apply({ op: "drop", columns: ["a"] }, null);
    await client.undo(5);
    await client.redo(null);
    await client.summarize({ kind: "transpose" });
    expect(calls).toEqual([
      ["/r/api/frames/3/steps", undefined],
      ["/r/api/frames/3/steps", { op: "drop", columns: ["a"], version: 4 }],
      ["/r/api/frames/3/steps", { op: "drop", columns: ["a"] }],
      ["/r/api/frames/3/steps/undo", { version: 5 }],
      ["/r/api/frames/3/steps/redo", {}],
      ["/r/api/frames/3/summarize", { kind: "transpose" }],
    ]);
  });
});

describe("the view after a step changed the columns", () => {
  const view: ViewState = { sort: [["b", "desc"], ["c", "asc"]], filter: "a > 1", columns: ["c", "b", "a"], pinned: ["b"] };
  it("follows a rename, its undo and its redo", () => {
    expect(inferRename(["a", "b", "c"], ["a", "x", "c"])).toEqual({ from: "b", to: "x" });
    expect(inferRename(["a", "x", "c"], ["a", "b", "c"])).toEqual({ from: "x", to: "b" });
    expect(inferRename(["a", "b"], ["a", "b", "c"])).toBeUndefined();
    expect(followSchema(view, ["a", "b", "c"], ["a", "x", "c"])).toEqual({ ...view, sort: [["x", "desc"], ["c", "asc"]], columns: ["c", "x", "a"], pinned: ["x"] });
  });
  it("drops a dropped column and shows a new one", () => {
    expect(followSchema(view, ["a", "b", "c"], ["a", "c", "d"])).toEqual({ ...view, sort: [["c", "asc"]], columns: ["c", "a", "d"], pinned: [] });
  });
  it("keeps the default view (every column in the frame's order) as null", () => {
    const all: ViewState = { sort: [], filter: "", columns: null, pinned: [] };
    expect(followSchema(all, ["a", "b"], ["a", "b", "g"]).columns).toBeNull();
    expect(followSchema({ ...all, columns: ["a"] }, ["a", "b"], ["a", "b"]).columns).toEqual(["a"]);
    expect(followSchema({ ...all, columns: ["b", "a"] }, ["a", "b", "c"], ["a", "b"]).columns).toEqual(["b", "a"]);
  });
});

describe("the open panel in the URL", () => {
  it("round-trips panel=steps beside the view and the key", () => {
    const search = withPanel("?key=k&filter=a", "steps");
    expect(panelOf(search)).toBe("steps");
    expect(new URLSearchParams(search).get("key")).toBe("k");
    expect(panelOf(writeViewState(search, { sort: [], filter: "", columns: null, pinned: [] }))).toBe("steps");
    expect(withPanel(search, null)).toBe("?key=k&filter=a");
    expect(panelOf("?panel=nope")).toBeNull();
  });
});
