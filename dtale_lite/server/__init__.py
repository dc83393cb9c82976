"""The Flask server: the registry of shown frames and their ``Instance`` handles, the grid
pages and the JSON API (blueprints), the key check and the one JSON error shape (:mod:`.state`),
the threaded server in a daemon thread and its inactivity reaper (:mod:`.thread`), and where
the browser reaches it from (:mod:`.environment`).

May import: :mod:`dtale_lite.frames` and :mod:`dtale_lite.backends`. Routes reach the app's state
through :func:`.state.state` (Flask's ``current_app``), never through the app factory.
"""
