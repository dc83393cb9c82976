"""The steps of one shown frame, in order, with undo and redo.

The history holds the user's frame (never changed) and the frame after every step. A new step
is applied to the current frame only; undo re-applies the remaining steps to the original (no
snapshot per step: each would keep the columns its step copied alive). ``rebase(new_frame)``
re-applies the steps to a new frame (``update(df2)``) and says which ones no longer fit.
"""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd

from ..errors import BadRequest, Conflict
from .apply import Applied, apply_step, apply_steps, clean_step
from .code import steps_script
from .model import MAX_STEPS, check_body


def plain(value, where: str = "step"):
    """A copy of a step's JSON-like value with numpy scalars as Python ones (the Python API
    passes them); BadRequest for what JSON cannot hold."""
    if isinstance(value, dict):
        return {str(k): plain(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, where) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise BadRequest(f"{where}: {type(value).__name__} is not a JSON value (use numbers, "
                     f"text, true/false, null and lists)")


def as_frame(data) -> tuple[pd.DataFrame, object]:
    """A shown Series as the one-column frame the grid shows (sharing its data), and the
    Series' column label (None for a frame)."""
    if isinstance(data, pd.Series):
        name = data.name if data.name is not None else "value"
        return data.to_frame(name=name), name
    return data, None


class StepHistory:
    def __init__(self, data):
        self.original, self.series_name = as_frame(data)
        self.state = Applied(self.original)
        self.steps: list[dict] = []
        self.undone: list[dict] = []  # the redo stack, last undone last

    @property
    def frame(self) -> pd.DataFrame:
        return self.state.frame

    def apply(self, body: dict) -> dict:
        """Apply one step (checked; BadRequest and nothing applied if it does not fit).
        A new step clears what could be redone. Returns the step as stored."""
        check_body(body)
        if len(self.steps) >= MAX_STEPS:
            raise BadRequest(f"a frame holds at most {MAX_STEPS:,} steps")
        step = plain(clean_step(body))
        self.state = apply_step(self.state, step, len(self.steps) + 1)
        self.steps.append(step)
        self.undone.clear()
        return step

    def undo(self) -> dict:
        if not self.steps:
            raise Conflict("nothing to undo")
        remaining = self.steps[:-1]
        state, kept, dropped = apply_steps(self.original, remaining)
        if dropped:  # cannot happen: these steps applied in this order before
            raise Conflict(f"undo failed: {dropped[0][1]}")
        self.undone.append(self.steps[-1])
        self.steps, self.state = kept, state
        return self.undone[-1]

    def redo(self) -> dict:
        if not self.undone:
            raise Conflict("nothing to redo")
        step = self.undone[-1]
        self.state = apply_step(self.state, step, len(self.steps) + 1)
        self.steps.append(self.undone.pop())
        return step

    def rebase(self, data) -> tuple["StepHistory", list[tuple[dict, str]]]:
        """A history over ``data`` holding the steps that still fit it; and the dropped
        steps with the reason each no longer fits."""
        history = StepHistory(data)
        history.state, history.steps, dropped = apply_steps(history.original, self.steps)
        return history, dropped

    def code(self) -> str:
        """The pandas script of the steps (see ``code.steps_script``)."""
        return steps_script(self.state, self.series_name)

    def listed(self) -> list[dict]:
        return copy.deepcopy(self.steps)
