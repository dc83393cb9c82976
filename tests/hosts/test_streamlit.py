"""dtale_lite.streamlit without a browser (issue 7): the optional extra, the command's
declaration, the helpers' checks, and the per-session bookkeeping that makes reruns reuse
frames and ended sessions free them (the real server is in tests/browser/test_streamlit_*)."""
from __future__ import annotations

import configparser
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtale_lite.hosts.hosted import Hosted
from dtale_lite.hosts.session_frames import SessionBook, SessionFrames

REPO = Path(__file__).resolve().parents[2]


def run_py(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("missing", ["streamlit", "a2wsgi"])
def test_without_the_extra_the_import_error_says_what_to_install(missing):
    # sys.modules[name] = None makes `import name` raise ImportError, as if not installed.
    out = run_py(f"""
        import sys
        sys.modules[{missing!r}] = None
        try:
            import dtale_lite.streamlit
        except ImportError as error:
            print("ImportError:", error)
    """)
    assert out.returncode == 0, out.stderr
    assert "pip install 'dtale_lite[streamlit]'" in out.stdout
    assert missing in out.stdout


def test_the_wrapper_command_without_the_extra_exits_with_the_same_advice():
    out = run_py("""
        import sys
        sys.modules["streamlit"] = None
        from dtale_lite.hosts.streamlit_cli import main
        main(["run", "page.py"])
    """)
    assert out.returncode == 1
    assert "dtale-lite-streamlit: " in out.stderr and "dtale_lite[streamlit]" in out.stderr


def test_show_never_imports_streamlit():
    out = run_py("""
        import json, sys
        import pandas as pd, dtale_lite
        inst = dtale_lite.show(pd.DataFrame({"a": [1]}))
        print(json.dumps(sorted(m for m in sys.modules
                                if m.split(".")[0] in {"streamlit", "a2wsgi", "starlette"})))
        dtale_lite.shutdown()
    """)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_setup_declares_the_extra_and_the_command():
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    extras = config["options.extras_require"]
    for extra in ("streamlit", "test"):
        needs = {line.split(">")[0].split("=")[0].strip()
                 for line in extras[extra].splitlines() if line.strip()}
        assert {"streamlit", "a2wsgi"} <= needs, extra
    scripts = dict(line.split("=", 1) for line in
                   config["options.entry_points"]["console_scripts"].split("\n") if line.strip())
    target = {k.strip(): v.strip() for k, v in scripts.items()}["dtale-lite-streamlit"]
    module, function = target.split(":")
    assert callable(getattr(__import__(module, fromlist=[function]), function))


def test_viewer_outside_a_streamlit_run_says_how_to_run_it(streamlit_module):
    with pytest.raises(RuntimeError, match="`streamlit run` or `dtale-lite-streamlit run`"):
        streamlit_module.viewer(pd.DataFrame({"a": [1]}))


@pytest.fixture
def streamlit_module():
    # streamlit is in the test extra: a missing one is a failure, not a quiet skip.
    import dtale_lite.hosts.streamlit

    return dtale_lite.hosts.streamlit


@pytest.mark.parametrize("prefix", ["/_stcore", "/media/frames", "component", "/static/",
                                    "/", ""])
def test_routes_refuse_streamlits_own_paths(streamlit_module, prefix):
    with pytest.raises(ValueError, match="outside Streamlit's own"):
        streamlit_module.StreamlitViewer().routes(prefix)


def test_routes_mount_one_viewer_under_one_prefix(streamlit_module):
    from a2wsgi import WSGIMiddleware

    holder = streamlit_module.StreamlitViewer()
    (mount,) = holder.routes("dtale_lite/")
    assert mount.path == "/dtale_lite" and isinstance(mount.app, WSGIMiddleware)
    (again,) = holder.routes("/dtale_lite")
    assert again.app.app is mount.app.app is holder.hosted.wsgi_app  # one app, one registry
    with pytest.raises(ValueError, match="already mounted at '/dtale_lite'"):
        holder.routes("/elsewhere")


@pytest.mark.parametrize("height, ok", [
    (600, True), (100, True), (10_000, True), (99, False), (10_001, False), (True, False),
    ("600", False), (600.0, False), (None, False),
])
def test_iframe_height(streamlit_module, height, ok):
    if ok:
        assert streamlit_module.check_iframe_height(height) == height
    else:
        with pytest.raises(ValueError, match="height is the grid's height in pixels"):
            streamlit_module.check_iframe_height(height)


def test_iframe_address_is_relative_when_mounted_and_changes_with_the_data(streamlit_module):
    hosted = Hosted(url_prefix="/dtale_lite", key="k")
    inst = hosted.show(pd.DataFrame({"a": [1]}), name="t")
    assert streamlit_module.iframe_src(inst, mounted=True) == "/dtale_lite/frames/1?key=k&rev=0"
    inst.update(pd.DataFrame({"a": [2]}))
    assert streamlit_module.iframe_src(inst, mounted=True).endswith("&rev=1")
    elsewhere = Hosted(url_prefix="/x", key="k", base_url="http://127.0.0.1:9/x")
    other = elsewhere.show(pd.DataFrame({"a": [1]}))
    assert streamlit_module.iframe_src(other, mounted=False) == (
        "http://127.0.0.1:9/x/frames/1?key=k&rev=0")


# The bookkeeping, against a real Hosted viewer (its registry, no server).

@pytest.fixture
def hosted():
    return Hosted(url_prefix="/dtale_lite", key="k")


def frames(n: int) -> list[pd.DataFrame]:
    return [pd.DataFrame({"x": range(i + 1)}) for i in range(n)]


def test_a_rerun_shows_each_call_in_place(hosted):
    book, session = SessionBook(lambda: hosted), SessionFrames("s1")
    a, b, c = frames(3)
    run1 = object()
    first = book.show(session, session.slot(("line", "p.py", 9), run1), a, None)
    second = book.show(session, session.slot(("line", "p.py", 9), run1), b, None)  # a loop
    assert first.id != second.id
    run2 = object()
    again = book.show(session, session.slot(("line", "p.py", 9), run2), a, None)
    moved = book.show(session, session.slot(("line", "p.py", 9), run2), c, None)
    assert (again.id, again.version) == (first.id, 0)  # the same object: untouched
    assert (moved.id, moved.version, moved.data is c) == (second.id, 1, True)
    assert len(hosted.registry) == 2 == book.held()


def test_a_name_is_one_frame_shared_until_its_last_session_ends(hosted):
    book = SessionBook(lambda: hosted)
    one, two = SessionFrames("s1"), SessionFrames("s2")
    (data,) = frames(1)
    shown = book.show(one, one.slot(("name", "t"), object()), data, "t")
    shared = book.show(two, two.slot(("name", "t"), object()), data, "t")
    assert shared.id == shown.id and shared.version == 0  # not replaced: no reload anywhere
    book.release(one)
    assert hosted.get("t").alive
    book.release(two)
    assert len(hosted.registry) == 0 and book.held() == 0


def test_a_frame_killed_elsewhere_is_shown_again(hosted):
    book, session = SessionBook(lambda: hosted), SessionFrames("s1")
    (data,) = frames(1)
    first = book.show(session, session.slot(("key", "k"), object()), data, None)
    first.kill()
    again = book.show(session, session.slot(("key", "k"), object()), data, None)
    assert again.alive and again.id != first.id and book.held() == 1


IDENTITIES = [("name", "alpha"), ("name", "beta"), ("key", "k"), ("line", "page.py", 3),
              ("line", "page.py", 7)]
calls = st.lists(st.tuples(st.sampled_from(range(len(IDENTITIES))), st.integers(0, 2)),
                 max_size=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), calls), min_size=1, max_size=8))
def test_the_registry_holds_exactly_the_frames_that_live_sessions_show(runs):
    """Whatever sessions run, the registry holds one frame per unnamed slot of a live session
    and one per name in use; a slot keeps its id across runs; nothing is left at the end."""
    hosted = Hosted(url_prefix="/dtale_lite", key="k")
    book = SessionBook(lambda: hosted)
    pool = frames(3)
    sessions = [SessionFrames(f"s{i}") for i in range(3)]
    ids: dict[tuple, int] = {}
    for session_index, run_calls in runs:
        session, run = sessions[session_index], object()
        for identity_index, data_index in run_calls:
            identity = IDENTITIES[identity_index]
            name = identity[1] if identity[0] == "name" else None
            slot = session.slot(identity, run)
            inst = book.show(session, slot, pool[data_index], name)
            assert inst.alive and inst.data is pool[data_index] and inst.name == name
            where = (name,) if name else (session.session_id, *slot)
            assert ids.setdefault(where, inst.id) == inst.id
        unnamed = {(s.session_id, slot) for s in sessions for slot in s.slots
                   if slot[0] != "name"}
        names = {slot[1] for s in sessions for slot in s.slots if slot[0] == "name"}
        assert len(hosted.registry) == len(unnamed) + len(names) == book.held()
    for session in sessions:
        book.release(session)
    assert len(hosted.registry) == 0 and book.held() == 0
