"""Applying steps: each op is one function that reads its parameters (checked), computes the
new frame with pandas and writes the same computation as code lines.

The user's frame is never changed. Every op starts from ``frame.copy(deep=False)`` (a new
frame over the same column arrays; with copy-on-write, setting a column on it never writes
into the shared arrays) and changes at most the columns it names: an edit of one cell copies
one column, not the frame. Rows are tracked by their position in the original frame
(``origin``), so an edit names a row the same way after rows were dropped or sorted.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import BadRequest, DtaleLiteError
from ..pandas_code import ColumnRefs
from .model import check_body, describe
from .params import Params


# What pandas raises for an operation on values it does not take (.str on intervals raises
# AttributeError; found by the Hypothesis test): a 400, never a 500.
REFUSED = (TypeError, ValueError, ArithmeticError, KeyError, IndexError, AttributeError)


@dataclass
class Applied:
    """A frame after some steps: the frame, each row's position in the original (None: the
    original's rows in order), and the code that got there."""

    frame: pd.DataFrame
    origin: np.ndarray | None = None
    lines: list[str] = field(default_factory=list)
    helpers: set[str] = field(default_factory=set)
    imports: set[str] = field(default_factory=set)  # modules the code needs besides pandas


class Ctx:
    """One step being applied: its parameters, the frame before it, and the code so far."""

    def __init__(self, state: Applied, step: dict, op: str):
        self.frame = state.frame
        self.origin = state.origin
        self.p = Params(step, self.frame, op)
        self.refs = ColumnRefs(self.frame, self.p.columns)
        self.lines: list[str] = []
        self.helpers: set[str] = set()
        self.numpy = False

    # -- reading columns ---------------------------------------------------------------------
    def position(self, name: str) -> int:
        return self.p.by_name[name].position

    def series(self, name: str) -> pd.Series:
        return self.frame.iloc[:, self.position(name)]

    def ref(self, name: str) -> str:
        return self.refs.col(name, "df")

    def kind(self, name: str) -> str:
        return self.p.by_name[name].kind

    def helper(self, name: str) -> str:
        self.helpers.add(name)
        return name

    # -- the new frame -----------------------------------------------------------------------
    def set_column(self, name: str, values: pd.Series, expr: str) -> None:
        """Replace column ``name`` (or add it at the end) with ``values``, computed by
        ``expr`` in the code."""
        out = self.frame.copy(deep=False)
        if name in self.p.by_name:
            pos = self.position(name)
            out.isetitem(pos, values)
            label = self.refs.label(name)
            self.lines.append(f"df[{label}] = {expr}" if label is not None else
                              f"df.isetitem({pos}, {expr})")
        else:
            out[name] = values
            self.lines.append(f"df[{name!r}] = {expr}")
        self.frame = out

    def keep_rows(self, positions: np.ndarray, code: str) -> None:
        """Keep the rows at these positions of the current frame, in this order."""
        self.frame = self.frame.iloc[positions]
        positions = np.asarray(positions, dtype=np.int64)
        self.origin = positions if self.origin is None else self.origin[positions]
        self.lines.append(code)

    def keep_columns(self, positions: list[int], code: str) -> None:
        self.frame = self.frame.iloc[:, positions]
        self.lines.append(code)


def _handlers():
    from . import cells, derive, shape

    return {"add_column": derive.add_column, "convert": cells.convert, "edit": cells.edit,
            "replace": cells.replace, "fill_missing": cells.fill_missing,
            "rename": shape.rename, "drop": shape.drop, "move": shape.move,
            "drop_missing": shape.drop_missing, "drop_duplicates": shape.drop_duplicates,
            "keep_view": shape.keep_view}


def apply_step(state: Applied, step: dict, number: int = 0) -> Applied:
    """``state`` with ``step`` applied (a new Applied; ``state`` is unchanged).

    Raises BadRequest (naming the parameter) when the step does not fit the frame, or when
    pandas refuses it (an operator on values it does not take): nothing is applied then.
    """
    op = check_body(step)
    ctx = Ctx(state, step, op)
    try:
        _handlers()[op](ctx)
    except DtaleLiteError:
        raise
    except REFUSED as error:
        raise BadRequest(f"{op}: pandas refused it ({type(error).__name__}: "
                         f"{str(error)[:200]})") from None
    ctx.p.check_unknown()
    title = f"# {number}. {describe(step)}" if number else f"# {describe(step)}"
    # The filter language's code (conditions, keep_view) may use pandas_code's helpers.
    used = ctx.helpers | {f"view:{h}" for h in ctx.refs.helpers}
    imports = state.imports | ctx.refs.imports() | ({"numpy"} if ctx.numpy else set())
    return Applied(ctx.frame, ctx.origin, state.lines + [title, *ctx.lines],
                   state.helpers | used, imports)


def clean_step(step: dict) -> dict:
    """The step as listed: its JSON object without the request's ``version`` and without
    parameters given as null (null means not given)."""
    return {k: v for k, v in step.items() if k != "version" and v is not None}


def apply_steps(original: pd.DataFrame, steps: list[dict]) -> tuple[Applied, list, list]:
    """The original with each step that fits applied in order: (state, kept steps, dropped
    steps as (step, reason) pairs)."""
    state, kept, dropped = Applied(original), [], []
    for step in steps:
        try:
            state = apply_step(state, step, len(kept) + 1)
        except BadRequest as error:
            dropped.append((step, error.message))
            continue
        kept.append(step)
    return state, kept, dropped
