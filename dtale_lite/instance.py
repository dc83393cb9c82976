"""``Instance``: what ``show()`` returns, a handle on one frame of a running viewer."""
from __future__ import annotations

import html

from .errors import NotFound


class Instance:
    """A frame being shown. ``url`` opens its page; ``update``/``kill`` change it."""

    def __init__(self, viewer, entry):
        # The registry of the server this frame was shown on: after that server stops, a new
        # server numbers its frames from 1 again, and this handle must not reach those.
        self._registry = viewer.registry
        self._entry = entry
        self._key = viewer.key
        self._base_url = viewer.base_url
        self._app_root = viewer.app_root

    @property
    def id(self) -> int:
        return self._entry.id

    @property
    def name(self) -> str | None:
        return self._entry.name

    @property
    def data(self):
        """The object that was shown: the user's own frame, never a copy."""
        return self._entry.data

    @property
    def key(self) -> str | None:
        return self._key

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def _page(self) -> str:
        """The frame page's path below the app root, with the key."""
        return f"/frames/{self.id}" + (f"?key={self._key}" if self._key else "")

    @property
    def url(self) -> str:
        return f"{self._base_url}{self._page}"

    def update(self, new_data) -> "Instance":
        """Show ``new_data`` under the same id, name and URL; cached views are dropped."""
        self._registry.update(self.id, new_data)
        return self

    def kill(self) -> None:
        """Remove this frame only; the server and other frames stay."""
        try:
            self._registry.remove(self.id)
        except NotFound:
            pass  # already gone (killed twice, or the server was reaped): nothing to do

    @property
    def frame_path(self) -> str:
        """The frame page's URL from the root of the server the browser talks to."""
        return f"{self._app_root}{self._page}"

    def _repr_html_(self) -> str:
        # A notebook cell ending with show(df) displays the grid inline. With an app root the
        # browser reaches the server through a proxy on the notebook's own origin (Jupyter's
        # /proxy/<port>), so the iframe's address is relative to that origin.
        src = html.escape(self.frame_path if self._app_root else self.url, quote=True)
        return (f'<iframe src="{src}" width="100%" height="475" style="border:0" '
                f'allow="clipboard-write" title="dtale_lite frame {self.id}"></iframe>')

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return f"<dtale_lite.Instance {self.id}{label} {self.url}>"
