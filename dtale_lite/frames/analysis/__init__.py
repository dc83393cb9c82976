"""The analysis pages' pure logic (issue 16): missing values, outliers, duplicates and time
series over a view, on pandas, as numbers a figure builder and the engines share.

Each engine answers the same small primitives (``nullity``, ``duplicates``; outliers and time
series use the chart primitives ``box_stats`` and ``group_aggregate`` every engine has), and the
modules here turn them into the answer. Pure: no Flask, no Dash, no plotly.
"""
