"""The analysis pages (issue 16): missing values, outliers, duplicates and time series.

``service`` computes each answer under admission control from the engines' primitives and
frames/analysis; ``figures`` draws it (plain Plotly JSON, no plotly import); ``code`` writes
the pandas that computes the same figure; ``routes`` are the JSON routes and ``pages`` and
``callbacks`` the Dash pages on the chart app.
"""
