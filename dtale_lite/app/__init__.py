"""The application: ``create_app`` joins the server's routes and the chart layer into one Flask
app, documents it (the OpenAPI document), and :mod:`.viewer` holds the process-wide viewer behind
``show()`` (one registry, at most one threaded server).

May import: every layer below it (frames, backends, server, charts); hosts and the CLI build on
it.
"""
from .factory import create_app

__all__ = ["create_app"]
