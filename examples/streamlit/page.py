"""A Streamlit page showing frames with dtale_lite.

    dtale-lite-streamlit run examples/streamlit/page.py    # a plain script: the wrapper mounts
    streamlit run examples/streamlit/app.py                # or the st.App entry script
"""
import numpy as np
import pandas as pd
import streamlit as st

from dtale_lite.streamlit import viewer


@st.cache_resource  # one object across reruns: the grid is not reloaded when nothing changed
def load_sales() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 1000
    return pd.DataFrame({
        "id": np.arange(n),
        "region": pd.Categorical(rng.choice(["north", "south", "east", "west"], n)),
        "amount": rng.gamma(2.0, 50.0, n).round(2),
        "day": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
    })


@st.cache_resource  # the same object for the same region: "Rerun" keeps the grid as it is
def sales_in(region: str) -> pd.DataFrame:
    sales = load_sales()
    return sales if region == "all" else sales[sales["region"] == region]


@st.cache_resource
def region_totals() -> pd.DataFrame:
    totals = load_sales().groupby("region", observed=True)["amount"].agg(["count", "sum", "mean"])
    return totals.reset_index()


st.title("dtale_lite in Streamlit")
region = st.radio("Region", ["all", "north", "south"], horizontal=True)
shown = sales_in(region)

# One viewer per session (a rerun updates it in place) ...
inst = viewer(shown, height=450)
st.link_button("Chart: mean amount by region",
               inst.chart_url(type="bar", x="region", y="amount", agg="mean"))
# ... and a named frame, one for every session, reachable at /dtale_lite/frames/regions.
viewer(region_totals(), name="regions", height=250)
st.button("Rerun")
st.session_state.runs = st.session_state.get("runs", 0) + 1
st.caption(f"Script runs in this session: {st.session_state.runs}")
