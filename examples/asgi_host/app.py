"""A FastAPI app with the dtale_lite viewer mounted at /viewer through a2wsgi.

The viewer is a WSGI app (Flask + Dash); an ASGI host (FastAPI, Starlette, Streamlit's
``st.App``) runs it in a thread pool behind ``a2wsgi.WSGIMiddleware``. Starlette's ``Mount``
passes the prefix as the ASGI ``root_path``, which a2wsgi hands on as ``SCRIPT_NAME``: the
pages and the chart app build their links from it.

Run it (the viewer's URL with its key is printed at start):

    uvicorn app:app --app-dir examples/asgi_host --host 127.0.0.1 --port 8000

With ``--workers N`` set ``DTALE_LITE_KEY`` so that every worker process has the same key
(each loads its own copy of the frames).
"""
from __future__ import annotations

import os

from a2wsgi import WSGIMiddleware
from fastapi import FastAPI

from dtale_lite import Hosted
from dtale_lite.frames.benchframe import bench_frame

key = os.environ.get("DTALE_LITE_KEY")
viewer = Hosted(url_prefix="/viewer", key=key) if key else Hosted(url_prefix="/viewer")
viewer.build_charts()  # in every worker: a chart page's scripts may come from another one
demo = viewer.show(bench_frame(20_000), name="demo")

app = FastAPI(title="An ASGI host")


@app.get("/api/hello")
def hello() -> dict:
    """The host's own route, next to the viewer."""
    return {"hello": "from the host", "viewer": demo.url}


app.mount("/viewer", WSGIMiddleware(viewer.wsgi_app))

print(f"dtale_lite viewer: {demo.url}" if not key else
      f"dtale_lite viewer: {demo.url.replace(key, '<DTALE_LITE_KEY>')}", flush=True)
