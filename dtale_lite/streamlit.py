"""``dtale_lite.streamlit``: the public path of the Streamlit integration (``viewer``,
``routes``); the code lives in :mod:`dtale_lite.hosts.streamlit`."""
from .hosts.streamlit import URL_PREFIX, routes, viewer

__all__ = ["viewer", "routes", "URL_PREFIX"]
