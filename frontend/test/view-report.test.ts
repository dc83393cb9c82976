import { describe, expect, it } from "vitest";
import { createViewReporter, type ViewReport } from "../src/view-report";

function fakeTimers() {
  let next = 1;
  const timers = new Map<number, () => void>();
  return {
    setTimer: (fn: () => void) => {
      timers.set(next, fn);
      return next++;
    },
    clearTimer: (handle: unknown) => void timers.delete(handle as number),
    /** Fire every pending timer, as if the delay had passed. */
    elapse() {
      const due = [...timers.values()];
      timers.clear();
      due.forEach((fn) => fn());
    },
    get count() {
      return timers.size;
    },
  };
}

function deferredSend() {
  const sent: ViewReport[] = [];
  const resolvers: Array<(ok: boolean) => void> = [];
  const send = (report: ViewReport) => {
    sent.push(report);
    return new Promise<void>((resolve, reject) => resolvers.push((ok) => (ok ? resolve() : reject(new Error("down")))));
  };
  return { sent, send, answer: (ok = true) => resolvers.shift()!(ok) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const VIEW = { filter: " f1 > 0 ", sort: [["f1", "desc"]] as Array<[string, "asc" | "desc"]>, columns: ["f1", "id"] };

describe("view reporter", () => {
  it("sends one report for a burst of changes: the last view, trimmed, numbered", async () => {
    const timers = fakeTimers();
    const net = deferredSend();
    const reporter = createViewReporter({ send: net.send, page: "p1", ...timers });
    reporter.report({ filter: "", sort: [], columns: null });
    reporter.report({ filter: "a > 1", sort: [], columns: null });
    reporter.report(VIEW);
    expect(net.sent).toEqual([]);
    expect(timers.count).toBe(1);
    timers.elapse();
    expect(net.sent).toEqual([{ filter: "f1 > 0", sort: [["f1", "desc"]], columns: ["f1", "id"], page: "p1", seq: 1 }]);
    net.answer();
    await tick();
  });

  it("never repeats an unchanged view", async () => {
    const timers = fakeTimers();
    const net = deferredSend();
    const reporter = createViewReporter({ send: net.send, page: "p", ...timers });
    reporter.report(VIEW);
    timers.elapse();
    net.answer();
    await tick();
    reporter.report({ ...VIEW, filter: "f1 > 0" });
    timers.elapse();
    await tick();
    expect(net.sent.length).toBe(1);
  });

  it("sends one report at a time, in order, each with a higher seq", async () => {
    const timers = fakeTimers();
    const net = deferredSend();
    const reporter = createViewReporter({ send: net.send, page: "p", ...timers });
    reporter.report({ filter: "a > 1", sort: [], columns: null });
    timers.elapse();
    reporter.report({ filter: "a > 2", sort: [], columns: null });
    timers.elapse();
    await tick();
    expect(net.sent.map((r) => r.filter)).toEqual(["a > 1"]); // the second waits
    net.answer();
    await tick();
    await tick();
    expect(net.sent.map((r) => [r.filter, r.seq])).toEqual([["a > 1", 1], ["a > 2", 2]]);
    net.answer();
    await tick();
  });

  it("reports a failure and sends the view again with the next change", async () => {
    const timers = fakeTimers();
    const net = deferredSend();
    const errors: unknown[] = [];
    const reporter = createViewReporter({ send: net.send, page: "p", onError: (e) => errors.push(e), ...timers });
    reporter.report(VIEW);
    timers.elapse();
    net.answer(false);
    await tick();
    expect(errors.length).toBe(1);
    reporter.report(VIEW);
    const done = reporter.flush();
    net.answer();
    await done;
    expect(net.sent.map((r) => r.seq)).toEqual([1, 2]);
    expect(timers.count).toBe(0);
  });

  it("does not share arrays with the caller's view", () => {
    const timers = fakeTimers();
    const net = deferredSend();
    const reporter = createViewReporter({ send: net.send, page: "p", ...timers });
    const view = { filter: "", sort: [["id", "asc"]] as Array<[string, "asc" | "desc"]>, columns: ["id"] };
    reporter.report(view);
    view.sort[0][1] = "desc";
    view.columns.push("f1");
    timers.elapse();
    expect(net.sent[0].sort).toEqual([["id", "asc"]]);
    expect(net.sent[0].columns).toEqual(["id"]);
  });
});
