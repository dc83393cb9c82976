import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api-client";
import { createFilterApplier } from "../src/filter-apply";

function setup() {
  const checks: Array<{ text: string; answer(page: string): void; fail(err: unknown): void }> = [];
  const events: string[] = [];
  const apply = createFilterApplier<string>({
    check: (text) => new Promise((resolve, reject) => checks.push({ text, answer: resolve, fail: reject })),
    setBusy: (busy) => events.push(`busy ${busy}`),
    accept: (text, first) => events.push(`accept ${text} ${first}`),
    reject: (text, err) => events.push(`reject ${text} ${err.message} @${err.position}`),
    fail: (err) => events.push(`fail ${(err as Error).message}`),
  });
  return { apply, checks, events };
}

describe("applying a filter", () => {
  it("is busy while the filter is checked, then shows its first page", async () => {
    const { apply, checks, events } = setup();
    const done = apply("f1 > 1");
    expect(checks.map((c) => c.text)).toEqual(["f1 > 1"]);
    expect(events).toEqual(["busy true"]);
    checks[0].answer("page0");
    await done;
    expect(events).toEqual(["busy true", "accept f1 > 1 page0", "busy false"]);
  });

  it("shows the server's message and position for a wrong filter (400)", async () => {
    const { apply, checks, events } = setup();
    const done = apply("f1 >");
    checks[0].fail(new ApiError("expected a value", 400, 4));
    await done;
    expect(events).toEqual(["busy true", "reject f1 > expected a value @4", "busy false"]);
  });

  it("reports any other failure as a failure", async () => {
    const { apply, checks, events } = setup();
    const done = apply("f1 > 1");
    checks[0].fail(new ApiError("boom", 500));
    await done;
    expect(events).toEqual(["busy true", "fail boom", "busy false"]);
  });

  it("ignores an older filter that answers after a newer one was typed", async () => {
    const { apply, checks, events } = setup();
    const first = apply("a > 1");
    const second = apply("a > 2");
    checks[1].answer("p2");
    await second;
    checks[0].answer("p1");
    await first;
    expect(events).toEqual(["busy true", "busy true", "accept a > 2 p2", "busy false"]);
  });

  it("stays busy for the newer filter when an older one fails late", async () => {
    const { apply, checks, events } = setup();
    const first = apply("a >");
    const second = apply("a > 2");
    checks[0].fail(new ApiError("expected a value", 400, 3));
    await first;
    expect(events).toEqual(["busy true", "busy true"]);
    checks[1].answer("p2");
    await second;
    expect(events.slice(2)).toEqual(["accept a > 2 p2", "busy false"]);
  });
});
