"""Which frames each Streamlit session shows, so that reruns reuse them and ended sessions free
them (issue 7). Pure bookkeeping: no Streamlit import, tested without a server.

Streamlit reruns the whole page script on every interaction, in a thread per session. A
``viewer(df)`` call on a rerun is the same viewer as on the run before when it has the same
*slot*: its identity (the frame's name, the caller's ``key``, or the call site) and how many
calls with that identity came before it in the same run (a loop over frames at one call site).
The slot keeps its frame: the rerun updates it in place, so its id and URL stay.

A named frame is one frame for the whole process (``/frames/<name>``), so sessions showing the
same name share it; a frame is freed when the last slot holding it is released, that is when
the last session showing it ends.
"""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Hashable

from ..frames.errors import NotFound
from ..server.instance import Instance


class SessionFrames:
    """The frames one session shows, by slot."""

    def __init__(self, session_id: str):
        self.session_id = session_id
        self.slots: dict[tuple, Instance] = {}
        self.noticed_fallback = False  # the "separate server" notice was shown to this session
        self._run: object = None
        self._calls: Counter = Counter()
        self._lock = threading.Lock()  # fragments of one session may run in parallel

    def slot(self, identity: tuple, run: object) -> tuple:
        """The slot of a call with this ``identity`` in the script run ``run`` (any object
        that stays the same for one run and differs between runs): the identity and the
        number of calls with it earlier in the run."""
        with self._lock:
            if run is not self._run:
                # Hold the run's object itself, not its id(): a freed object's id is reused.
                self._run, self._calls = run, Counter()
            count = self._calls[identity]
            self._calls[identity] += 1
        return (*identity, count)


class SessionBook:
    """Every session's slots, and how many slots hold each frame.

    ``backend()`` is the viewer that serves the frames: the mounted ``Hosted``, or the
    ``dtale_lite`` module (show()'s own server); both have ``show(data, name)`` and
    ``get(name)``. Thread-safe: sessions run in threads of their own.
    """

    def __init__(self, backend: Callable[[], object]):
        self._backend = backend
        self._lock = threading.Lock()
        self._holders: Counter = Counter()  # frame key -> how many slots hold it

    def show(self, frames: SessionFrames, slot: tuple, data, name: str | None) -> Instance:
        """The slot's frame showing ``data``: the slot's own frame, updated in place when
        ``data`` is another object (its version goes up), or a newly registered one."""
        with self._lock:
            held = frames.slots.get(slot)
            if held is not None and held.alive and held.name == name:
                if held.data is data:
                    return held
                try:
                    return held.update(data)
                except NotFound:  # freed since the check (a kill from elsewhere)
                    pass
            instance = self._register(data, name)
            if held is not None:
                self._let_go(held)
            frames.slots[slot] = instance
            self._holders[_frame_key(instance)] += 1
            return instance

    def _register(self, data, name: str | None) -> Instance:
        backend = self._backend()
        if name is not None:
            # Another session shows this very object under the name: share it as it is (a
            # show under the name would count as new data and reload every session's grid).
            try:
                shown = backend.get(name)
            except NotFound:
                shown = None
            if shown is not None and shown.alive and shown.data is data:
                return shown
        return backend.show(data, name)

    def release(self, frames: SessionFrames) -> None:
        """The session ended: free every frame no other session still shows."""
        with self._lock:
            for instance in frames.slots.values():
                self._let_go(instance)
            frames.slots.clear()

    def held(self) -> int:
        """How many frames the slots of all sessions hold."""
        with self._lock:
            return len(self._holders)

    def _let_go(self, instance: Instance) -> None:
        key = _frame_key(instance)
        self._holders[key] -= 1
        if self._holders[key] <= 0:
            del self._holders[key]
            instance.kill()


def _frame_key(instance: Instance) -> Hashable:
    # Ids are per registry; a viewer's registry lives as long as its server.
    return (instance.base_url, instance.id)
