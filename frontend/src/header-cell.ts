// The grid's header cell: the column name, a kind badge, the sort arrow (with its place in a
// multi-column sort) and a menu button. Sorting is the app's (server-side), not AG Grid's.

import type { IHeaderComp, IHeaderParams } from "ag-grid-community";
import { h } from "./dom";
import { kindBadge } from "./format";
import type { SortSpec } from "./url-state";

export interface HeaderContext {
  getSort(): SortSpec;
  onSortClick(column: string, additive: boolean): void;
  openMenu(column: string, anchor: HTMLElement): void;
  kindOf(column: string): string;
}

type Params = IHeaderParams & { ctx: HeaderContext };

export class HeaderCell implements IHeaderComp {
  private root!: HTMLElement;
  private params!: Params;

  init(params: Params): void {
    this.params = params;
    this.render();
  }

  private render(): void {
    const { ctx, column } = this.params;
    const name = column.getColId();
    const kind = ctx.kindOf(name);
    const sort = ctx.getSort();
    const at = sort.findIndex(([c]) => c === name);
    const arrow = at === -1 ? "" : sort[at][1] === "asc" ? "▲" : "▼";
    const label = h(
      "span",
      {
        className: "dl-header-label",
        "data-testid": "header-label",
        title: `${name} (${kind}) — click to sort, shift-click to add a sort`,
        onclick: ((e: MouseEvent) => ctx.onSortClick(name, e.shiftKey)) as EventListener,
      },
      h("span", { className: "dl-header-name" }, name),
    );
    const menu = h("button", {
      className: "dl-header-menu",
      "data-testid": "header-menu",
      type: "button",
      title: "Filter, describe, pin, hide",
      "aria-label": `menu of column ${name}`,
      onclick: ((e: MouseEvent) => {
        e.stopPropagation();
        ctx.openMenu(name, menu);
      }) as EventListener,
    }, "⋮");
    if (!this.root) this.root = h("div", { className: "dl-header", "data-testid": `header-${name}`, "data-col": name });
    const parts: Node[] = [
      label,
      h("span", { className: `dl-badge dl-kind-${kind}`, "data-testid": "kind-badge" }, kindBadge(kind)),
      arrow
        ? h("span", { className: "dl-sort", "data-testid": "sort-indicator", "data-sort": sort[at][1] },
            arrow, sort.length > 1 ? String(at + 1) : "")
        : null,
      menu,
    ].filter((n): n is HTMLElement => n !== null);
    this.root.replaceChildren(...parts);
  }

  getGui(): HTMLElement {
    return this.root;
  }

  refresh(params: Params): boolean {
    this.params = params;
    this.render();
    return true;
  }
}
