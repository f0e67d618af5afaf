"""The streamlit layer: page start and sidebar, widgets, presentation mode, map clicks, table column config."""
