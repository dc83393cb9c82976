"""Background jobs held while pages of their view keep coming: a held job does not begin
until its hold ends, and a caller that needs its value, or a cancel, ends the hold."""
from __future__ import annotations

import threading

import pytest

from dtale_lite.frames.background import Background
from dtale_lite.frames.errors import Superseded


def in_thread(run) -> tuple[threading.Thread, list]:
    out: list = []

    def target():
        try:
            out.append(run())
        except BaseException as error:  # noqa: BLE001 - the test looks at it
            out.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, out


def test_a_held_job_begins_when_its_hold_ends():
    background = Background(workers=1)
    ran = threading.Event()
    job = background.submit("k", lambda: ran.set() or 42, hold_s=1.0)
    assert job.started_at is None  # held from before a worker could take it
    assert job.wait(10) and ran.is_set() and job.value == 42
    background.close()


def test_a_caller_that_needs_the_value_ends_the_hold():
    background = Background(workers=1)
    job = background.submit("k", lambda: 42, hold_s=600)
    assert not job.wait(0.2) and job.started_at is None  # still held
    thread, out = in_thread(job.result)
    thread.join(10)
    assert out == [42]
    background.close()


def test_a_cancel_ends_the_hold():
    background = Background(workers=1)
    job = background.submit(("frame", 1), lambda: 42, hold_s=600)
    background.cancel(lambda key: key[0] == "frame")
    assert job.wait(10)
    with pytest.raises(Superseded):
        job.result()
    background.close()


def test_holding_again_delays_a_job_not_yet_begun():
    background = Background(workers=1)
    job = background.submit("k", lambda: 42, hold_s=1.0)
    job.hold_for(600)
    assert not job.wait(0.3) and job.started_at is None
    job.result()
    background.close()
