"""SQL on the warehouse → pandas frames, one module per subject (not per page: Peta, Prioritas,
Scorecard and the rapat screens share `priority`). A `query_*` function that depends on the
user's area takes `Filters` and binds its values; `tests/dashboard/test_query_scope.py` finds
every one and checks the scope. Pure computations on the frames live in `dashboard.metrics`."""
