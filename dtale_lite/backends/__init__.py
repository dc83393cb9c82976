"""One module per data engine behind the view-level interface of :mod:`.base` (issue 9).

Nothing is imported here: each backend imports its engine (polars, duckdb) only when used, so
``import dtale_lite`` stays fast and those engines stay optional extras.
"""
