"""Charts: the chart spec, the pure figure builder (traces, box plots, code export), the rows
behind a mark, correlations, the chart service under admission control, the JSON chart routes
and the Dash chart page mounted under ``/charts/``.

May import: :mod:`dtale_lite.frames`, :mod:`dtale_lite.backends` and :mod:`dtale_lite.server`
(its state accessor and error handling). Importing it imports neither Dash nor plotly; the Dash
page is built on the first request under ``/charts/``.
"""
