import { describe, expect, it } from "vitest";
import { createRowCache } from "../src/row-cache";

function fakeFetch(total: number) {
  const calls: Array<[number, number]> = [];
  const fetchPage = async (offset: number, limit: number) => {
    calls.push([offset, limit]);
    const rows: number[] = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push(i);
    return { total, rows };
  };
  return { calls, fetchPage };
}

describe("row cache", () => {
  it("returns the rows of a range across pages and the total", async () => {
    const fake = fakeFetch(1000);
    const cache = createRowCache({ fetchPage: fake.fetchPage, pageSize: 100, maxPages: 10 });
    const page = await cache.getRange(150, 260);
    expect(page.total).toBe(1000);
    expect(page.rows).toEqual(Array.from({ length: 110 }, (_, i) => 150 + i));
    expect(fake.calls).toEqual([[100, 100], [200, 100]]);
  });
  it("shares in-flight requests and hits the cache", async () => {
    const fake = fakeFetch(1000);
    const cache = createRowCache({ fetchPage: fake.fetchPage, pageSize: 100, maxPages: 10 });
    await Promise.all([cache.getRange(0, 100), cache.getRange(0, 100), cache.getRange(50, 60)]);
    await cache.getRange(0, 100);
    expect(fake.calls).toEqual([[0, 100]]);
  });
  it("stays bounded, dropping the least recently used page", async () => {
    const fake = fakeFetch(10_000_000);
    const cache = createRowCache({ fetchPage: fake.fetchPage, pageSize: 100, maxPages: 3 });
    for (let n = 0; n < 50; n++) await cache.getRange(n * 100, n * 100 + 100);
    expect(cache.size).toBe(3);
    await cache.getRange(4800, 4900); // hit: becomes most recent
    await cache.getRange(9_999_900, 10_000_000);
    expect(cache.peek(4800, 4900)).not.toBeNull();
    expect(cache.peek(4700, 4800)).toBeNull();
    expect(cache.size).toBe(3);
  });
  it("handles the end of the view and an empty view", async () => {
    const fake = fakeFetch(250);
    const cache = createRowCache({ fetchPage: fake.fetchPage, pageSize: 100, maxPages: 5 });
    expect((await cache.getRange(200, 300)).rows).toEqual(Array.from({ length: 50 }, (_, i) => 200 + i));
    expect(cache.peek(210, 400)).toEqual(Array.from({ length: 40 }, (_, i) => 210 + i));
    const empty = createRowCache({ fetchPage: fakeFetch(0).fetchPage, pageSize: 100, maxPages: 5 });
    expect(await empty.getRange(0, 100)).toEqual({ total: 0, rows: [] });
  });
  it("can be primed with a page fetched elsewhere", async () => {
    const fake = fakeFetch(1000);
    const cache = createRowCache({ fetchPage: fake.fetchPage, pageSize: 100, maxPages: 5 });
    cache.prime(0, { total: 1000, rows: Array.from({ length: 100 }, (_, i) => i) });
    expect(cache.total).toBe(1000);
    expect((await cache.getRange(0, 10)).rows.length).toBe(10);
    expect(fake.calls).toEqual([]);
  });
  it("lets a failed fetch be retried", async () => {
    let fail = true;
    const cache = createRowCache<number>({
      fetchPage: async () => {
        if (fail) throw new Error("down");
        return { total: 1, rows: [1] };
      },
      pageSize: 100,
      maxPages: 5,
    });
    await expect(cache.getRange(0, 1)).rejects.toThrow("down");
    fail = false;
    expect((await cache.getRange(0, 1)).rows).toEqual([1]);
  });
});
