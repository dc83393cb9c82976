"""Where the browser reaches the viewer from: the app root, read from the environment.

Pure (no Flask): ``show()`` asks it once, when its server starts. An ``app_root`` passed to
``show()`` wins; then ``DTALE_LITE_APP_ROOT`` (any proxy: ``/proxy/{port}``, ``/lab/proxy/...``);
then JupyterHub, whose single-user servers export ``JUPYTERHUB_SERVICE_PREFIX``
(``/user/<name>/``), under which jupyter-server-proxy forwards ``proxy/<port>/``.
"""
from __future__ import annotations

from collections.abc import Mapping

APP_ROOT_VAR = "DTALE_LITE_APP_ROOT"
HUB_PREFIX_VAR = "JUPYTERHUB_SERVICE_PREFIX"


def app_root_from(explicit: str | None, environ: Mapping[str, str]) -> str | None:
    """The app root to serve under (``{port}`` is filled in once the port is known).

    ``explicit`` None means "not given": the environment decides. An empty string given
    explicitly means "no app root", whatever the environment says (reach the server directly,
    e.g. through SSH port forwarding from a hub).
    """
    if explicit is not None:
        return explicit
    configured = environ.get(APP_ROOT_VAR, "").strip()
    if configured:
        return configured
    hub = environ.get(HUB_PREFIX_VAR, "").strip()
    if hub:
        return hub.rstrip("/") + "/proxy/{port}"
    return None
