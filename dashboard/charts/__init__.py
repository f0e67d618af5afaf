"""Plotly figures, one module per page; each function takes query frames and returns a Figure."""
