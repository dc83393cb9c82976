#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run every test:
# the Python suite (unit, API, live server, pdb, CLI, Jupyter kernel, headless Chromium)
# and the front end's unit tests, after checking that the shipped grid bundle is exactly
# what frontend/ builds.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-$(command -v python3 || command -v python)}"

# Debian's Chromium for the browser tests (nothing downloads a browser at run time).
if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

echo "== installing dtale_lite with its test dependencies"
"$PY" -m pip install -q --disable-pip-version-check -e '.[test]'

echo "== building the documentation site (mkdocs --strict: a broken link, anchor or page fails)"
"$PY" -m mkdocs build --strict --site-dir "$(mktemp -d)"

echo "== building the grid bundle from frontend/ and comparing it with the shipped one"
shipped="$(mktemp -d)"
cp -r dtale_lite/server/static/grid "$shipped/"
(cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
if ! diff -r "$shipped/grid" dtale_lite/server/static/grid >/dev/null; then
  echo "FAIL: dtale_lite/server/static/grid differs from what frontend/ builds; run" \
       "'cd frontend && npm run build' and commit the result" >&2
  diff -r "$shipped/grid" dtale_lite/server/static/grid | head -20 >&2 || true
  exit 1
fi
rm -rf "$shipped"

echo "== front-end unit tests"
(cd frontend && npm test --silent)

echo "== Python tests"
# Two workers (pytest-xdist), a test file per worker at a time: much of the suite waits on a
# browser, a server or a child process, so two share the 2 cores well (on this 2-core machine,
# 2026-12-07: 4,286 tests took 13.7 min in one process while other jobs ran; 4,920 took 7.9 min
# in two, quieter). PYTEST_WORKERS=0 runs them in one process.
"$PY" -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@"
