"""Which rows go in which animation frame (issue 16): one frame per value of a column, or per
period of a datetime column, at most ``MAX_FRAMES``.

The frames are a group key like any chart axis (``GroupKey``), so every engine computes the
per-frame aggregates with its own ``group_aggregate``; this module chooses the key and which of
its groups become frames, and says what was cut. Pure: no Flask, Dash or plotly.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .aggregate import Group, GroupKey

MAX_FRAMES = 100


def frame_key(position: int, kind: str, freq: str | None) -> GroupKey:
    """The key of the frames of a column: its periods of ``freq`` (a datetime column; ``freq``
    chosen by the caller), else its ``MAX_FRAMES`` most frequent values
    and "Other". Rows without a value are in no frame."""
    if kind == "datetime":
        return GroupKey(position, freq=freq or "year", missing=False)
    return GroupKey(position, top=MAX_FRAMES, missing=False)


@dataclass
class Frames:
    """The groups of a frame key that are frames, and what was cut."""

    index: np.ndarray  # positions in the key's groups, in order
    groups: list[Group]
    cut: int  # groups beyond MAX_FRAMES (periods) or folded into "Other" (values): no frame
    other: bool  # whether an "Other" group (values past the top MAX_FRAMES) was left out


def kept_frames(groups: list[Group], rows: np.ndarray | None = None) -> Frames:
    """The first ``MAX_FRAMES`` groups that have rows (``rows``: per group, None: all), "Other"
    left out: a frame of "every other value" would show no one value."""
    index = [i for i, g in enumerate(groups) if not g.is_other and not g.is_missing
             and (rows is None or rows[i] > 0)]
    other = any(g.is_other for g in groups)
    cut = max(0, len(index) - MAX_FRAMES)
    index = np.array(index[:MAX_FRAMES], dtype=np.int64)
    return Frames(index, [groups[i] for i in index], cut, other)


def frames_note(name: str, frames: Frames, rows_left_out: float) -> str | None:
    """What the cut left out, or None."""
    notes = []
    if frames.other:
        notes.append(f"'{name}' has more than {MAX_FRAMES} values: its {MAX_FRAMES} most "
                     f"frequent are frames")
    if frames.cut:
        notes.append(f"{frames.cut:,} more periods of '{name}' than {MAX_FRAMES} frames: the "
                     f"first {MAX_FRAMES} are shown")
    if rows_left_out > 0 and notes:
        notes[-1] += f" ({int(rows_left_out):,} rows in no frame)"
    return "; ".join(notes) if notes else None
