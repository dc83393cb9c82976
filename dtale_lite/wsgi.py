"""``dtale_lite.wsgi``: the public path for gunicorn (``'dtale_lite.wsgi:serve(...)'``) and other
WSGI/ASGI servers; the code lives in :mod:`dtale_lite.hosts.wsgi`."""
from .hosts.wsgi import frame_names, serve

__all__ = ["serve", "frame_names"]
