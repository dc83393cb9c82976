"""The viewer inside someone else's server: a host Flask app (:mod:`.flask_host`), Streamlit
(:mod:`.streamlit`, :mod:`.streamlit_cli`, per-session frames in :mod:`.session_frames`),
WSGI/gunicorn and ASGI (:mod:`.wsgi`), and the hosted viewer they share (:mod:`.hosted`).

May import: :mod:`dtale_lite.app` and the layers below it. Each host's own package (streamlit,
a2wsgi) is imported only by the module named for it.
"""
