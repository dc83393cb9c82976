import { describe, expect, it } from "vitest";
import { formatBytes, limitText, uploadProblem } from "../src/load-dialog";

const limits = { max_bytes: 100 * 2 ** 20, formats: ["csv"], from_url: false };

describe("the Load data dialog", () => {
  it("states the server's limit", () => {
    expect(limitText(limits)).toBe("CSV, TSV, Parquet, JSON or Excel, up to 100 MB");
    expect(formatBytes(1000)).toBe("1000 bytes");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(3 * 2 ** 30)).toBe("3 GB");
  });
  it("refuses a file over the limit before sending it", () => {
    expect(uploadProblem(null, limits)).toBe("Choose a file first");
    expect(uploadProblem({ name: "big.csv", size: 150 * 2 ** 20 }, limits)).toBe(
      "big.csv is 150 MB; this server takes files up to 100 MB",
    );
    expect(uploadProblem({ name: "ok.csv", size: 100 * 2 ** 20 }, limits)).toBeNull();
  });
});
