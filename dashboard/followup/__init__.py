"""Tindak lanjut (follow-up) of rapat decisions: an SQLite store beside the warehouse.

The warehouse is rebuilt and swapped as a whole; what a rapat decided must survive every
rebuild, so it lives in its own transactional file (`data/tindak_lanjut.sqlite`, WAL mode)
with numbered schema migrations. Nothing here imports streamlit: the UI is in
dashboard/ui (or pages), the store is plain Python and runs in the CLI and tests too.
"""
