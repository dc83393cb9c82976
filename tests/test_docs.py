"""The manual's examples run, and the README stays the front door.

Every fenced block marked ``python`` in docs/ (every page, subfolders too) and in README.md is
run in a fresh Python process with a timeout, so an example that stops working fails here. A
block that cannot run on this machine (it needs a cluster, or a Streamlit page run) is marked
on the line just before its fence, with the reason, in an HTML comment that neither the site nor
GitHub shows::

    <!-- not run: needs a Dask cluster's scheduler -->

A marker without a reason, or one that is not followed by a ``python`` block, fails
``test_not_run_markers``. The site itself (links, anchors, the nav) is checked by
``mkdocs build --strict`` in scripts/test.sh.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
README = REPO / "README.md"
PAGES = sorted(DOCS.rglob("*.md")) + [README]
PYTHON_LANGUAGES = {"python", "py", "python3"}
TIMEOUT = 180  # seconds per example; the slowest (Dash built at once) take about 5 s here
NOT_RUN = re.compile(r"<!--\s*not run\b(?P<rest>.*?)-->", re.IGNORECASE)
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
TWO_COMMANDS = ["pip install '.[demo]' && dtale-lite --demo", "bash scripts/test.sh"]


@dataclass(frozen=True)
class Block:
    page: Path
    line: int            # 1-based line of the opening fence
    language: str
    code: str
    not_run: str | None  # the marker's text after "not run", None when unmarked

    @property
    def id(self) -> str:
        base = REPO if self.page == README else DOCS
        return f"{self.page.relative_to(base).as_posix()}:{self.line}"


@dataclass(frozen=True)
class Marker:
    page: Path
    line: int
    reason: str
    followed_by_python: bool


def parse(page: Path) -> tuple[list[Block], list[Marker]]:
    """The fenced blocks of a Markdown page and the not-run markers outside them.

    Fences follow CommonMark: a fence closes on the same character, at least as long, with
    nothing after it, so a ```` block may show ``` lines (as development.md does) without
    them counting as examples."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks, markers = [], []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if match is None:
            marker = NOT_RUN.search(lines[i])
            if marker:
                following = FENCE.match(lines[i + 1]) if i + 1 < len(lines) else None
                is_python = bool(following) and _language(following) in PYTHON_LANGUAGES
                reason = marker.group("rest").strip().lstrip(":").strip()
                markers.append(Marker(page, i + 1, reason, is_python))
            i += 1
            continue
        fence, indent = match.group("fence"), len(match.group("indent"))
        start, body = i, []
        i += 1
        while i < len(lines):
            close = lines[i].strip()
            if close and set(close) == {fence[0]} and len(close) >= len(fence):
                break
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
            i += 1
        previous = lines[start - 1] if start > 0 else ""
        marker = NOT_RUN.search(previous)
        not_run = marker.group("rest").strip().lstrip(":").strip() if marker else None
        blocks.append(Block(page, start + 1, _language(match), "\n".join(body) + "\n", not_run))
        i += 1
    return blocks, markers


def _language(fence_match: re.Match) -> str:
    info = fence_match.group("info").strip()
    return info.split()[0].strip("{}.").lower() if info else ""


BLOCKS = [block for page in PAGES for block in parse(page)[0]]
MARKERS = [marker for page in PAGES for marker in parse(page)[1]]
EXAMPLES = [block for block in BLOCKS if block.language in PYTHON_LANGUAGES]
RUN = [block for block in EXAMPLES if block.not_run is None]


def example_environment() -> dict:
    env = dict(os.environ)
    # This checkout's package, even when another one is installed (an editable install of
    # another worktree, say); and no app root from the calling shell in the printed URLs.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    for name in ("DTALE_LITE_APP_ROOT", "JUPYTERHUB_SERVICE_PREFIX", "DTALE_LITE_KEY"):
        env.pop(name, None)
    return env


@pytest.mark.parametrize("block", RUN, ids=[block.id for block in RUN])
def test_example_runs(block, tmp_path):
    script = tmp_path / "example.py"
    script.write_text(block.code, encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=example_environment(),
                              capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"{block.id}: still running after {TIMEOUT} s\n{expired.stderr or ''}")
    assert done.returncode == 0, (
        f"{block.id} exited {done.returncode}\n--- code\n{block.code}--- stderr\n"
        f"{done.stderr[-4000:]}")


def test_examples_are_found():
    """The parser sees the examples (a parser that found none would make every test above
    vanish, not fail): the README's ten lines, and examples on most pages."""
    readme_examples = [block for block in EXAMPLES if block.page == README]
    assert len(readme_examples) == 1 and "dtale_lite.show(" in readme_examples[0].code
    assert len(RUN) >= 15, [block.id for block in RUN]
    assert len({block.page for block in EXAMPLES}) >= 10


def test_not_run_markers():
    """Every marker gives a reason and sits on the line just before a python block."""
    problems = [f"{m.page.relative_to(REPO)}:{m.line}: no reason given" for m in MARKERS
                if len(m.reason.split()) < 2]
    problems += [f"{m.page.relative_to(REPO)}:{m.line}: not on the line before a python block"
                 for m in MARKERS if not m.followed_by_python]
    assert not problems, problems
    assert len(MARKERS) == len([block for block in EXAMPLES if block.not_run is not None])


def test_parser_reads_markers_and_nested_fences(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(textwrap.dedent("""\
        <!-- not run: needs a cluster -->
        ```python
        run_me_not()
        ```

        - a list item with an indented example:

            ```python
            print("indented")
            ```

        ````markdown
        <!-- not run -->
        ```python
        shown, not an example
        ```
        ````
        <!-- not run: stray -->
        text
        """))
    blocks, markers = parse(page)
    assert [(b.line, b.language, b.not_run) for b in blocks] == [
        (2, "python", "needs a cluster"), (8, "python", None), (12, "markdown", None)]
    assert blocks[1].code == 'print("indented")\n'
    assert [(m.line, m.reason, m.followed_by_python) for m in markers] == [
        (1, "needs a cluster", True), (18, "stray", False)]


# -- the README ------------------------------------------------------------------------------

def readme_lines() -> list[str]:
    return README.read_text(encoding="utf-8").splitlines()


def test_readme_is_short():
    assert len(readme_lines()) < 300, "the README is the front door; the manual is docs/"


def test_readme_starts_with_the_two_commands():
    lines = readme_lines()
    assert lines[0].startswith("# ")
    first = [line for line in lines[1:] if line.strip()][:4]
    assert first == ["```bash", *TWO_COMMANDS, "```"]


def prose(text: str) -> str:
    """The README without its fenced blocks and code spans (URLs in code are not links)."""
    kept, inside = [], None
    for line in text.splitlines():
        match = FENCE.match(line)
        if inside is None and match:
            inside = match.group("fence")
        elif inside and line.strip() and set(line.strip()) == {inside[0]} \
                and len(line.strip()) >= len(inside):
            inside = None
        elif inside is None:
            kept.append(line)
    return re.sub(r"(`+)(?:(?!\1).)+?\1", "", "\n".join(kept))


LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"   # [text](target), ![alt](src)
                  r"|^\s*\[[^\]]+\]:\s*(\S+)"                       # [ref]: target
                  r"|(?:href|src)\s*=\s*[\"']([^\"']+)[\"']"         # HTML
                  r"|<((?:https?|ftp|mailto):[^>]+)>", re.MULTILINE)  # <autolink>


def test_readme_links_stay_in_the_repository():
    text = prose(README.read_text(encoding="utf-8"))
    targets = [next(group for group in match.groups() if group) for match in LINK.finditer(text)]
    assert len(targets) >= 20  # the pictures and the links into docs/
    outside = []
    for target in targets:
        path = target.split("#", 1)[0].split("?", 1)[0]
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/", target):
            outside.append(f"{target}: not a relative link")
        elif path and not (REPO / path).resolve().is_relative_to(REPO):
            outside.append(f"{target}: outside the repository")
        elif path and not (REPO / path).exists():
            outside.append(f"{target}: no such file")
    # A bare URL in the text is a link too on GitHub.
    outside += [f"{url}: a bare URL" for url in re.findall(r"\b(?:https?|ftp)://\S+", text)]
    assert not outside, outside


def readme_section(title: str) -> list[str]:
    lines = readme_lines()
    start = lines.index(f"## {title}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


@pytest.mark.parametrize("title", ["Engines", "Where it runs"])
def test_readme_tables_link_each_row_to_its_page(title):
    rows = [line for line in readme_section(title) if line.startswith("|")][2:]  # no header
    assert len(rows) >= 5
    assert all(re.search(r"\]\(docs/[^)]+\.md(#[^)]*)?\)", row) for row in rows), rows


def test_readme_headline_figures_are_the_benchmark_pages():
    """The headline table is the benchmark page's own, row for row (one set of figures)."""
    rows = [line for line in readme_section("Headline figures") if line.startswith("|")]
    assert len(rows) >= 10
    benchmarks = (DOCS / "benchmarks.md").read_text(encoding="utf-8").splitlines()
    assert [row for row in rows if row not in benchmarks] == []
