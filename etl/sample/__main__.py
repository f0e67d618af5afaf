"""`python -m etl.sample ...` (same options as `python -m etl sample`)."""

import sys

from etl.sample import main

raise SystemExit(main(sys.argv[1:]))
