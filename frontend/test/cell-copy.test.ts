import { describe, expect, it } from "vitest";
import { copyCells, MAX_COPY_ROWS, selectionTsv } from "../src/cell-copy";
import { INDEX_COL, type GridRow } from "../src/grid-columns";
import type { Rect } from "../src/selection";

const row = (i: number): GridRow => ({ index: `r${i}`, values: { id: i, s: i % 2 ? "odd\tone" : null } });
const ROWS = Array.from({ length: 50 }, (_, i) => row(i));

function setup({ cached = true, now = true, later = true } = {}) {
  const log: string[] = [];
  let copied: string | undefined;
  const options = {
    peek: (start: number, end: number) => (cached ? ROWS.slice(start, end) : null),
    getRange: async (start: number, end: number) => {
      log.push(`fetch ${start}-${end}`);
      return { rows: ROWS.slice(start, end) };
    },
    writeNow: (text: string) => {
      log.push(`now ${text.length}`);
      return now;
    },
    writeLater: async (text: string) => {
      log.push(`later ${text.length}`);
      return later;
    },
    remember: (text: string) => (copied = text),
    say: (text: string) => log.push(`say ${text}`),
  };
  return { options, log, copied: () => copied };
}

describe("copying cells", () => {
  const rect: Rect = { top: 1, bottom: 2, columns: [INDEX_COL, "s"] };
  const tsv = "index\ts\nr1\todd one\nr2\t\n";

  it("writes the selected columns as TSV, the index headed 'index'", () => {
    expect(selectionTsv(rect, [row(1), row(2)])).toBe(tsv);
    expect(selectionTsv({ top: 0, bottom: 0, columns: ["id"] }, [row(0)])).toBe("id\n0\n");
  });

  it("writes loaded rows synchronously, with no request and no async write", async () => {
    const { options, log, copied } = setup();
    await copyCells(rect, options);
    expect(copied()).toBe(tsv);
    expect(log).toEqual([`now ${tsv.length}`, "say Copied 2 × 2 cells"]);
  });

  it("falls back to the async clipboard when the synchronous write is refused", async () => {
    const { options, log } = setup({ now: false, later: false });
    await copyCells(rect, options);
    expect(log).toEqual([`now ${tsv.length}`, `later ${tsv.length}`, "say Copied 2 × 2 cells"]);
  });

  it("fetches rows that are not loaded, then writes through the async clipboard", async () => {
    const { options, log, copied } = setup({ cached: false });
    await copyCells(rect, options);
    expect(copied()).toBe(tsv);
    expect(log).toEqual(["fetch 1-3", `later ${tsv.length}`, "say Copied 2 × 2 cells"]);
  });

  it("says so when the browser refuses both ways", async () => {
    const { options, log } = setup({ cached: false, now: false, later: false });
    await copyCells(rect, options);
    expect(log).toEqual(["fetch 1-3", `later ${tsv.length}`, `now ${tsv.length}`, "say The browser refused the clipboard."]);
  });

  it("refuses more rows than the limit, before fetching anything", async () => {
    const { options, log, copied } = setup({ cached: false });
    await copyCells({ top: 0, bottom: MAX_COPY_ROWS, columns: ["id"] }, options);
    expect(log).toEqual(["say Select at most 10,000 rows to copy; export the view for more."]);
    expect(copied()).toBeUndefined();
    const ok = setup({ cached: false });
    await copyCells({ top: 0, bottom: MAX_COPY_ROWS - 1, columns: ["id"] }, ok.options);
    expect(ok.log.at(-1)).toBe("say Copied 10,000 × 1 cells");
  });
});
