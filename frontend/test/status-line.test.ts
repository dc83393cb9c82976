import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api-client";
import { explainError, sortingText } from "../src/status-line";

describe("status line", () => {
  it("explains what a failed request means for the user", () => {
    expect(explainError(new ApiError("frame 3 not found", 404))).toBe(
      "frame 3 not found. The frame may have been killed, or the server restarted: run show() again for a new link.",
    );
    expect(explainError(new ApiError("Cannot reach the dtale_lite server: it may have stopped or be restarting.", 0))).toBe(
      "Cannot reach the dtale_lite server: it may have stopped or be restarting.",
    );
    expect(explainError(new ApiError("a key is required", 401))).toBe("a key is required");
    expect(explainError(new ApiError("wrong key", 403))).toBe("wrong key");
    expect(explainError(new ApiError("out of memory", 500))).toBe("The server answered 500: out of memory");
    expect(explainError(new TypeError("x is undefined"))).toBe("Unexpected error: x is undefined");
    expect(explainError("odd")).toBe("Unexpected error: odd");
  });
  it("says how many rows a sort is sorting, when it knows", () => {
    expect(sortingText(5_000_000)).toBe("Sorting 5,000,000 rows…");
    expect(sortingText(null)).toBe("Sorting…");
  });
});

describe("a refused filter", () => {
  it("says which filter the grid still shows (issue 17)", async () => {
    const { staleText } = await import("../src/filter-bar");
    expect(staleText("f1 > 1")).toBe("The grid is showing the last good filter: f1 > 1");
    expect(staleText("  ")).toBe("The grid is showing all rows (no filter applied)");
  });
});
