"""Plotly figures, display tables and the sentences that state a chart's finding.

Each function takes frames (from `dashboard.queries` or `dashboard.metrics`) and returns a
`Figure`, a frame or a string; no SQL and no streamlit here (the page shows what it gets)."""
