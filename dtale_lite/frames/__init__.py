"""The data layer: pure logic over pandas frames, tested without a server.

Reading a frame (source, view planning, windows, sort keys and partial sorts), filters and their
grammar, describe, aggregation, correlations, export, JSON-safe values, pandas code for a view,
the result cache, memory accounting, background work, admission control and cancellation, the
error family every layer raises, and the file loaders and the synthetic benchmark frame.

May import: nothing of dtale_lite outside this folder. Never Flask, Dash or plotly.
"""
