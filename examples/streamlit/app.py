"""The st.App way: Streamlit serves page.py and the viewer from one port.

    pip install 'dtale_lite[streamlit]'
    streamlit run examples/streamlit/app.py
"""
import streamlit as st

import dtale_lite.streamlit

app = st.App("page.py", routes=dtale_lite.streamlit.routes())
