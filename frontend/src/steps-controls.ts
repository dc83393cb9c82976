// The steps wired to the page (issue 15): the Build column, Summarize and Steps buttons, the
// column menu's Shape part, the cell editor and the Steps panel, over one steps session. After
// every change the page's `refresh` reloads the schema and the rows. The Steps panel's being
// open is in the URL (`panel=steps`), so a reload reopens it; the steps live on the server.

import type { CellDoubleClickedEvent } from "ag-grid-community";
import type { ColumnInfo } from "./api-client";
import { editText, openCellEditor } from "./cell-editor";
import type { ShapeActions } from "./column-menu";
import { INDEX_COL, ROW_NUMBER_COL, type GridRow } from "./grid-columns";
import { openStepDialog } from "./step-dialog";
import { BUILD_KINDS, COLUMN_OPS, conversionsFor, SUMMARY_KINDS, type RawValues } from "./step-specs";
import type { Step, StepsClient } from "./steps-client";
import { createStepsPanel } from "./steps-panel";
import { createStepsSession } from "./steps-session";
import { panelOf, withPanel } from "./url-state";

export interface StepsControlsOptions {
  win: Window;
  client: StepsClient;
  /** The frame's columns now. */
  columns(): ColumnInfo[];
  /** After a change: reload the schema and the grid's rows. */
  refresh(): Promise<void>;
  /** A short message in the page's toast. */
  say(text: string): void;
  copy(text: string): Promise<boolean>;
  buttons: { build: HTMLElement; summarize: HTMLElement; steps: HTMLElement };
}

export interface StepsControls {
  panel: HTMLElement;
  /** The column menu's Shape part for `column`. */
  shapeFor(column: ColumnInfo): ShapeActions;
  onCellDoubleClicked(e: CellDoubleClickedEvent<GridRow>): void;
}

/** The Build column dialog's first kind and fields for a column of `kind`. */
export function buildPreset(column: ColumnInfo): { kind: string; preset: RawValues } {
  const name = column.name;
  if (column.kind === "datetime") return { kind: "datetime_part", preset: { column: name, name: `${name}_year`, part: "year" } };
  if (column.kind === "int" || column.kind === "float") return { kind: "arithmetic", preset: { left: name, name: `${name}_2` } };
  if (column.kind === "bool") return { kind: "copy", preset: { column: name, name: `${name}_copy` } };
  return { kind: "string", preset: { column: name, transform: "lower", name: `${name}_lower` } };
}

export function createStepsControls({ win, client, columns, refresh, say, copy, buttons }: StepsControlsOptions): StepsControls {
  const session = createStepsSession({
    client,
    async onChange(listing) {
      panel.render(listing, session.canRedo);
      try {
        await refresh();
      } catch (err) {
        say(`The step was applied, but the grid could not reload: ${(err as Error)?.message ?? err}`);
      }
    },
  });
  const setOpen = (open: boolean) => {
    if (open) panel.show();
    else panel.hide();
    buttons.steps.setAttribute("aria-pressed", String(open));
    win.history.replaceState(win.history.state, "", `${win.location.pathname}${withPanel(win.location.search, open ? "steps" : null)}${win.location.hash}`);
  };
  const run = async (change: () => Promise<unknown>) => {
    panel.setBusy(true);
    try {
      await change();
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      panel.showError(message);
      if (!panel.open) say(message);
    } finally {
      panel.setBusy(false);
    }
  };
  const panel = createStepsPanel({
    undo: () => void run(session.undo),
    redo: () => void run(session.redo),
    copy,
    close: () => setOpen(false),
  });
  const apply = (step: Record<string, unknown>) => session.apply(step as Step);
  session.load().then((listing) => panel.render(listing, session.canRedo), (err) => panel.showError((err as Error)?.message ?? String(err)));
  if (panelOf(win.location.search) === "steps") setOpen(true);

  const openBuild = (kind?: string, preset?: RawValues) => openStepDialog({
    title: "Build a column", testid: "build-dialog", kinds: BUILD_KINDS, kind, preset, columns: columns(), submitLabel: "Add column", submit: apply,
  });
  const summarize = (body: Record<string, unknown>) => client.summarize(body as { kind: string }).then((answer) => {
    if (answer.note) say(answer.note);
    win.location.assign(answer.frame.url);
  });
  const openSummarize = (kind?: string, preset?: RawValues) => openStepDialog({
    title: "Summarize into a new frame", testid: "summarize-dialog", kinds: SUMMARY_KINDS, kind, preset, columns: columns(), submitLabel: "Open the summary", submit: summarize,
  });
  buttons.build.addEventListener("click", () => openBuild());
  buttons.summarize.addEventListener("click", () => openSummarize());
  buttons.steps.addEventListener("click", () => setOpen(!panel.open));

  function columnOp(op: string, column: ColumnInfo, narrowed?: Record<string, readonly string[]>) {
    openStepDialog({
      title: `${COLUMN_OPS[op].label} '${column.name}'`, testid: `${op}-dialog`, kinds: { [op]: COLUMN_OPS[op] }, columns: columns(),
      fixed: { column: column.name }, narrowed, preset: op === "rename" ? { to: column.name } : {}, submitLabel: COLUMN_OPS[op].label, submit: apply,
    });
  }

  return {
    panel: panel.el,
    shapeFor(column) {
      const names = columns().map((c) => c.name);
      const at = names.indexOf(column.name);
      const quick = (step: Record<string, unknown>) => void apply(step).catch((err) => say((err as Error)?.message ?? String(err)));
      const conversions = conversionsFor(column.kind);
      return {
        conversions,
        canMoveLeft: at > 0,
        canMoveRight: at >= 0 && at < names.length - 1,
        convert: () => columnOp("convert", column, { to: conversions }),
        rename: () => columnOp("rename", column),
        drop: () => quick({ op: "drop", columns: [column.name] }),
        move: (delta) => quick({ op: "move", column: column.name, to: at + delta }),
        moveTo: () => columnOp("move", column),
        fillMissing: () => columnOp("fill_missing", column),
        dropMissing: () => quick({ op: "drop_missing", columns: [column.name] }),
        replace: () => columnOp("replace", column),
        build: () => {
          const { kind, preset } = buildPreset(column);
          openBuild(kind, preset);
        },
        summarize: () => openSummarize("groupby", { by: [column.name] }),
        valueCounts: () => void summarize({ kind: "value_counts", columns: [column.name] }).catch((err) => say((err as Error)?.message ?? String(err))),
      };
    },
    onCellDoubleClicked(e) {
      const name = e.column.getColId();
      const row = e.data;
      const cell = (e.event?.target as HTMLElement | null)?.closest<HTMLElement>(".ag-cell");
      if (name === ROW_NUMBER_COL || name === INDEX_COL || !row || !cell) return;
      if (row.position === undefined) {
        say("Cells can be edited in pandas frames only");
        return;
      }
      const position = row.position;
      openCellEditor(cell, {
        initial: editText(row.values[name]),
        label: `${name}, row ${(e.rowIndex ?? 0) + 1}`,
        save: (text) => apply({ op: "edit", row: position, column: name, value: text === "" ? null : text }),
      });
    },
  };
}
