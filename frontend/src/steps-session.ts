// The page's side of a frame's steps (issue 15): the last listing the server gave (steps,
// version, code), and the changes (apply, undo, redo), each sent with that version. After a
// change `onChange` runs (the grid reloads its schema and rows). A 409 is told apart: the
// frame changed in another page (its version moved on) or there was nothing to undo.
// Pure: the client is an argument. Unit-tested with a fake.

import type { Step, StepsClient, StepsListing } from "./steps-client";

export const STALE_MESSAGE = "This frame changed in another page; reload";

export class StepError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = "StepError";
  }
}

export interface StepsSessionOptions {
  client: Pick<StepsClient, "list" | "apply" | "undo" | "redo">;
  /** After every change the server accepted, with what the change was. */
  onChange(listing: StepsListing, change: { action: "apply" | "undo" | "redo"; step: Step | null }): void | Promise<void>;
}

export interface StepsSession {
  readonly listing: StepsListing | null;
  /** Steps that an undo would bring back (known from this page's own undos). */
  readonly canRedo: boolean;
  load(): Promise<StepsListing>;
  apply(step: Step): Promise<StepsListing>;
  undo(): Promise<StepsListing>;
  redo(): Promise<StepsListing>;
}

function statusOf(err: unknown): number {
  const status = (err as { status?: unknown })?.status;
  return typeof status === "number" ? status : 0;
}

export function createStepsSession({ client, onChange }: StepsSessionOptions): StepsSession {
  let listing: StepsListing | null = null;
  let redoable: number | null = null; // null: unknown (undone in an earlier page load?)

  async function change(action: "apply" | "undo" | "redo", step: Step | null): Promise<StepsListing> {
    const version = listing?.version ?? null;
    let next: StepsListing;
    try {
      next = action === "apply" ? await client.apply(step!, version) : action === "undo" ? await client.undo(version) : await client.redo(version);
    } catch (err) {
      const status = statusOf(err);
      if (status === 409 && version !== null) {
        // Stale, or nothing to undo? The server's version says which.
        const now = await client.list().catch(() => null);
        if (now && now.version !== version) throw new StepError(STALE_MESSAGE, 409);
      }
      throw new StepError((err as Error)?.message ?? String(err), status);
    }
    listing = next;
    redoable = action === "apply" ? 0 : action === "undo" ? (redoable ?? 0) + 1 : redoable === null ? null : Math.max(0, redoable - 1);
    await onChange(next, { action, step });
    return next;
  }

  return {
    get listing() {
      return listing;
    },
    get canRedo() {
      return redoable === null || redoable > 0;
    },
    async load() {
      listing = await client.list();
      return listing;
    },
    apply: (step) => change("apply", step),
    undo: () => change("undo", null),
    redo: () => change("redo", null),
  };
}

function quoted(value: unknown): string {
  return Array.isArray(value) ? value.map(quoted).join(", ") : `'${String(value)}'`;
}

/** A short title for a step in the Steps panel (as the server titles it in the code). */
export function stepTitle(step: Step): string {
  if (step.op === "add_column") return `add column ${quoted(step.name)} (${String(step.kind)})`;
  const op = step.op.replace(/_/g, " ");
  if (step.op === "rename") return `rename ${quoted(step.column)} to ${quoted(step.to)}`;
  if (step.op === "convert") return `convert ${quoted(step.column)} to ${String(step.to)}`;
  if (step.op === "move") return `move ${quoted(step.column)} to position ${String(step.to)}`;
  if (step.op === "edit") return `edit ${quoted(step.column)} at row ${String(step.row)}`;
  const target = step.column ?? step.columns;
  return target ? `${op} ${quoted(target)}` : op;
}
