"""Steps and summaries of a frame that is not pandas (issue 15): Polars (and Arrow, viewed
through Polars) and DuckDB (files and relations).

``EngineHistory`` keeps the registry's first source of the frame (over the user's object,
never changed) and the steps. After every change the frame is served by a new
``BackendSource`` over the stepped data: a Polars LazyFrame (collected when the user's frame
was eager) or a DuckDB query over the previous one, with every value a bound parameter. Undo
replays the remaining steps from the original: a step is a lazy expression or a query, so a
replay costs no more than the steps themselves. The engines' ops are in
``polars/steps.py``, ``polars/summaries.py``, ``duckdb/steps.py`` and ``duckdb/summaries.py``.

Nothing here imports Flask or Dash.
"""
from __future__ import annotations

import copy

from ..frames.errors import BadRequest, Conflict
from ..frames.steps import model
from ..frames.steps.apply import clean_step
from ..frames.steps.history import plain

STEPPED = ("polars", "duckdb")


def stepper(engine: str):
    """The module that applies steps on ``engine``'s frames."""
    if engine == "polars":
        from .polars import stepper as polars_stepper

        return polars_stepper
    from .duckdb import stepper as duckdb_stepper

    return duckdb_stepper


class EngineHistory:
    """The steps of one shown Polars or DuckDB frame, with undo and redo.

    ``base``: the registry's source over the user's object (a BackendSource); the history
    closes it, and the stepped sources it made, with ``close()``."""

    def __init__(self, base):
        self.base = base
        self.engine = base.engine
        self.engine_steps = stepper(self.engine)
        self.original = self.engine_steps.start(base.backend)
        self.state = self.original
        self.steps: list[dict] = []
        self.undone: list[dict] = []
        self.current = base  # the source serving the stepped frame

    def apply(self, body: dict) -> dict:
        model.check_body(body)
        if len(self.steps) >= model.MAX_STEPS:
            raise BadRequest(f"a frame holds at most {model.MAX_STEPS:,} steps")
        step = plain(clean_step(body))
        self.state = self.engine_steps.apply(self.state, step, len(self.steps) + 1)
        self.steps.append(step)
        self.undone.clear()
        return step

    def undo(self) -> dict:
        if not self.steps:
            raise Conflict("nothing to undo")
        state = self.original
        for number, step in enumerate(self.steps[:-1], 1):
            state = self.engine_steps.apply(state, step, number)
        self.undone.append(self.steps.pop())
        self.state = state
        return self.undone[-1]

    def redo(self) -> dict:
        if not self.undone:
            raise Conflict("nothing to redo")
        step = self.undone[-1]
        self.state = self.engine_steps.apply(self.state, step, len(self.steps) + 1)
        self.steps.append(self.undone.pop())
        return step

    def checkpoint(self) -> tuple:
        return list(self.steps), list(self.undone), self.state, self.current

    def restore(self, saved: tuple) -> None:
        """Back to ``checkpoint()``'s state; a source made since (never served) is closed."""
        made = self.current
        self.steps, self.undone, self.state, self.current = (list(saved[0]), list(saved[1]),
                                                             saved[2], saved[3])
        if made is not self.current and made is not self.base:
            made.close()

    def source(self):
        """A new source over the stepped frame (the base when there are no steps); the
        caller swaps it in, then ``retire``s the one it replaced."""
        from .backend_source import BackendSource

        if not self.steps:
            self.current = self.base
        else:
            backend = self.engine_steps.backend_of(self.state, self.base.backend)
            self.current = BackendSource(backend, data=self.base.data)
        return self.current

    def retire(self, old) -> None:
        """Close a stepped source no longer served (never the base, which the steps read)."""
        if old is not self.base and old is not self.current:
            old.close()

    def summarize(self, body: dict):
        """(the summary's data, to show as a new frame of the same engine; a note or None)."""
        return self.engine_steps.summarize(self.state, body, self.base.backend)

    def rebase(self, base) -> tuple["EngineHistory", list[tuple[dict, str]]]:
        """A history over the new ``base`` source with the steps that still fit it."""
        history, dropped = EngineHistory(base), []
        for step in self.steps:
            try:
                history.apply(step)
            except BadRequest as error:
                dropped.append((step, error.message))
        return history, dropped

    def code(self) -> str:
        return ""  # pandas code is written for pandas frames (the code route says so)

    def listed(self) -> list[dict]:
        return copy.deepcopy(self.steps)

    def close(self) -> None:
        if self.current is not self.base:
            self.current.close()
        self.base.close()
