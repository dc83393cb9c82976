"""Charts: the chart spec, the pure figure builder and its code export, correlations, the chart
service (admission control), the JSON routes and the Dash chart page.

Importing this package imports neither Dash nor plotly; the Dash page is built on the first
request under ``/charts/``.
"""
