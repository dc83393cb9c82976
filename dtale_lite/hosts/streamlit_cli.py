"""``dtale-lite-streamlit run page.py [streamlit options]``: ``streamlit run`` with the viewer
mounted at /dtale_lite of Streamlit's own server, for plain page scripts without ``st.App``.

Streamlit 1.67 builds its Starlette app with ``starlette_server.create_starlette_app``; this
command wraps that factory to put the viewer's Mount first among the routes (before
Streamlit's catch-all page route), then hands the command line to Streamlit's own CLI. An
``st.App`` entry script does not go through that factory: mount ``dtale_lite.streamlit.routes()``
in it instead.
"""
from __future__ import annotations

import sys


def install_mount() -> None:
    """Make the Starlette app Streamlit builds in this process serve the viewer."""
    from streamlit.web.server.starlette import starlette_server

    from .streamlit import routes

    create_app = starlette_server.create_starlette_app
    if getattr(create_app, "mounts_dtale_lite", False):
        return

    def create_app_with_viewer(runtime):
        app = create_app(runtime)
        # routes() runs here, when a server really builds its app: only then do pages get
        # links relative to Streamlit's origin (otherwise viewer() falls back, and says so).
        app.router.routes[0:0] = routes()
        return app

    create_app_with_viewer.mounts_dtale_lite = True
    starlette_server.create_starlette_app = create_app_with_viewer


def main(argv: list[str] | None = None) -> None:
    try:
        from . import streamlit  # noqa: F401  (says what to install when it is missing)
    except ImportError as error:
        sys.exit(f"dtale-lite-streamlit: {error}")
    from streamlit.web import cli

    install_mount()
    cli.main(args=sys.argv[1:] if argv is None else argv, prog_name="dtale-lite-streamlit")


if __name__ == "__main__":
    main()
