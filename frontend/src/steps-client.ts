// The typed client of the steps routes (issue 15): a frame's steps, applying one, undo, redo,
// and summaries that make a new frame. Bodies are JSON (the server refuses forms); `version`
// goes with every change so a page that missed another page's step gets a 409.

/** A step as the server stores it: `{op, ...parameters}`. */
export type Step = { op: string } & Record<string, unknown>;

export interface StepsListing {
  steps: Step[];
  /** The frame's version: sent with the next change. */
  version: number;
  /** The pandas code that applies the steps to the user's frame ("" with no steps). */
  code: string;
}

export interface SummaryFrame {
  frame: { id: number; name: string | null; url: string };
  code: string;
  /** Says what the summary cut (a pivot's columns past the top 50), when it did. */
  note?: string | null;
}

type FetchJson = <T>(url: string, signal?: AbortSignal, post?: unknown) => Promise<T>;

export function createStepsClient(fetchJson: FetchJson, frameBase: string) {
  const list = (signal?: AbortSignal) => fetchJson<StepsListing>(`${frameBase}/steps`, signal);
  return {
    list,
    apply: (step: Step, version: number | null) =>
      fetchJson<StepsListing>(`${frameBase}/steps`, undefined, version === null ? step : { ...step, version }),
    undo: (version: number | null) => fetchJson<StepsListing>(`${frameBase}/steps/undo`, undefined, version === null ? {} : { version }),
    redo: (version: number | null) => fetchJson<StepsListing>(`${frameBase}/steps/redo`, undefined, version === null ? {} : { version }),
    /** A new frame summarizing this one (`{kind, ...}`); the source is never changed. */
    summarize: (body: { kind: string } & Record<string, unknown>) => fetchJson<SummaryFrame>(`${frameBase}/summarize`, undefined, body),
  };
}

export type StepsClient = ReturnType<typeof createStepsClient>;
