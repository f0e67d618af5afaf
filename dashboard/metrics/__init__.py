"""Pure computations on query frames: priority scores, scorecard columns, rounding. No I/O, no streamlit."""
