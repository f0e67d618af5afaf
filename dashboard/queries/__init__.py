"""SQL on the warehouse, one module per page; every function takes `Filters` and returns a frame."""
