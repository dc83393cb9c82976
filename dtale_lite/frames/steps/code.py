"""The pandas code of a frame's steps: a script that turns the shown frame, held in ``df``,
into what the grid shows. Built from the lines each op wrote (labels and values as ``repr``,
never user text pasted in) and the helper functions they call."""
from __future__ import annotations

from ..pandas_code import HELPERS as VIEW_HELPERS
from . import helpers as step_helpers

HEADER = ["# df: the frame shown in dtale_lite (it is not changed: the first step works on",
          "# a new frame over the same data, and pandas' copy-on-write copies a column only",
          "# when a step changes it)"]


def imports_of(applied) -> list[str]:
    wanted = applied.imports
    return [f"import {m}" for m in ("numbers", "numpy as np") if m.split()[0] in wanted]


def helper_text(applied) -> list[str]:
    view = [VIEW_HELPERS[h[5:]].strip("\n") + "\n" for h in sorted(applied.helpers)
            if h.startswith("view:")]
    own = step_helpers.source_of(h for h in applied.helpers if not h.startswith("view:"))
    return view + own


def step_lines(applied, series_name=None) -> list[str]:
    """The steps as lines that follow the imports (helpers, then each step); nothing when
    there are no steps. ``series_name``: the label of a shown Series' one column."""
    lines = []
    if series_name is not None:
        lines.append(f"df = df.to_frame(name={series_name!r})")
    if not applied.lines:
        return lines
    return helper_text(applied) + lines + ["df = df.copy(deep=False)", *applied.lines, ""]


def steps_script(applied, series_name=None) -> str:
    """A runnable script: imports, helpers, then the steps; ``df`` ends as the stepped frame."""
    head = imports_of(applied) + ["import pandas as pd", "", *HEADER, ""]
    return "\n".join(head + step_lines(applied, series_name)) + "\n"


def summary_script(applied, series_name, lines: list[str]) -> str:
    """The steps' script followed by a summary's lines: ``df`` ends as the summary."""
    return steps_script(applied, series_name).rstrip("\n") + "\n" + "\n".join(lines) + "\n"
