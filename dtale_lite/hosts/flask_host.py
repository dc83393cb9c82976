"""``init_app``: the whole viewer (grid pages, JSON API, charts) inside a host's Flask app.

Why a Werkzeug ``DispatcherMiddleware`` around ``host_app.wsgi_app`` and not a blueprint:

- Flask (2.3+) refuses new routes, blueprints and hooks once an app has served a request; a
  WSGI dispatcher is only an attribute, so ``init_app`` works before or after the host's first
  request (``Flask.__call__`` looks ``wsgi_app`` up on every request).
- The viewer keeps its own Flask app: its key check, its JSON error shape, its security headers
  and its lazily built chart sub-app (charts/mount.py) answer exactly as under ``show()``, and
  none of them leak onto the host's routes (nor the host's onto the viewer's).

The price: the host's own ``before_request`` hooks (a login check, say) do not run for paths
under the prefix. A host that turns the key off (``key=None``) must guard the prefix in a WSGI
layer that wraps ``host_app.wsgi_app`` after ``init_app``, or in its proxy.
"""
from __future__ import annotations

import re

from werkzeug.middleware.dispatcher import DispatcherMiddleware

from ..server.state import GENERATE, normalize_root
from .hosted import Hosted

EXTENSION = "dtale_lite.hosted"  # host_app.extensions[...]: {prefix: Hosted}
# The prefix is written into the pages' and the chart app's URLs: plain path characters only
# (the same rule as charts/mount.py applies to SCRIPT_NAME).
PREFIX = re.compile(r"(/[A-Za-z0-9._~@+-]+)+")


def init_app(host_app, url_prefix: str = "/viewer", registry=None, *, key=GENERATE,
             base_url: str | None = None, build_charts: bool = True) -> Hosted:
    """Mount a new viewer at ``url_prefix`` of the Flask app ``host_app``; returns its ``Hosted``.

    Show frames with ``hosted.show(df, name)``; the Instances' URLs are relative to the host's
    origin (``/viewer/frames/1?key=...``). ``registry``: share an existing ``Registry`` (default:
    a new one). ``key``: a fresh random secret by default, a string to choose one (every process
    behind a load balancer must agree), or None to turn the viewer's authentication off when
    the host guards the prefix itself (it warns). ``base_url``: what the Instances' links start
    with, e.g. ``"https://example.org/viewer"`` for links printed to a terminal.
    ``build_charts``: build the chart app (imports Dash, about a second) now, as a host served
    by several worker processes needs (see ``Hosted.build_charts``); False defers it to the
    first chart request, which is enough for a single-process server.

    Raises ValueError for an empty or ``"/"`` prefix, one with characters other than letters,
    digits and ``. _ ~ @ + -``, or one that clashes with the host's routes, its static folder or
    a mount already in its ``wsgi_app`` (another viewer, a dispatched Dash app).
    """
    prefix = check_prefix(url_prefix)
    clash = find_clash(host_app, prefix)
    if clash:
        raise ValueError(f"url_prefix {prefix!r} clashes with {clash}; choose another prefix "
                         f"(e.g. '/viewer' or '/data')")
    hosted = Hosted(registry, url_prefix=prefix, key=key, base_url=base_url)
    if build_charts:
        hosted.build_charts()
    host_app.wsgi_app = DispatcherMiddleware(host_app.wsgi_app, {prefix: hosted.wsgi_app})
    host_app.extensions.setdefault(EXTENSION, {})[prefix] = hosted
    return hosted


def check_prefix(url_prefix) -> str:
    """``url_prefix`` as ``/a/b`` (no trailing slash); ValueError if empty, ``/`` or unsafe."""
    if not isinstance(url_prefix, str) or not url_prefix.strip("/ "):
        raise ValueError(f"url_prefix must be a path below the host's root like '/viewer', not "
                         f"{url_prefix!r}: the viewer cannot take over the host's whole site")
    prefix = normalize_root(url_prefix.strip())
    if not PREFIX.fullmatch(prefix) or any(part in {".", ".."} for part in prefix.split("/")):
        raise ValueError(f"url_prefix {url_prefix!r} may only hold path segments of letters, "
                         f"digits and . _ ~ @ + - (like '/viewer' or '/tools/data')")
    return prefix


def overlaps(a: str, b: str) -> bool:
    """Whether one of two paths is the other or lies below it, segment-wise."""
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def find_clash(host_app, prefix: str) -> str | None:
    """What in ``host_app`` already answers under ``prefix`` (a description), or None."""
    for rule in host_app.url_map.iter_rules():
        # The rule's fixed part, up to its first variable: "/dash1/<path:p>" -> "/dash1".
        fixed = rule.rule.split("<", 1)[0].rstrip("/")
        if not fixed:
            continue  # "/" and root catch-alls: the host keeps every path but the prefix
        shadowed = fixed == prefix or fixed.startswith(prefix + "/")
        # "/tools/<page>" answers "/tools/viewer" too; a static "/tools" does not.
        answers_below = "<" in rule.rule and prefix.startswith(fixed + "/")
        if shadowed or answers_below:
            return f"the host's route {rule.rule!r} (endpoint {rule.endpoint!r})"
    # Viewers mounted before are remembered too: a ProxyFix put around wsgi_app since then
    # hides the dispatcher chain.
    mounted = [*_mounts(host_app.wsgi_app), *host_app.extensions.get(EXTENSION, {})]
    for mount in mounted:
        if overlaps(mount.rstrip("/"), prefix):
            return f"an application already mounted at {mount!r} in host_app.wsgi_app"
    return None


def _mounts(wsgi_app):
    """The mount points of the DispatcherMiddleware chain in front of a Flask app."""
    seen = 0
    while isinstance(wsgi_app, DispatcherMiddleware) and seen < 100:
        yield from wsgi_app.mounts
        wsgi_app, seen = wsgi_app.app, seen + 1
