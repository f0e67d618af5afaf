"""`python -m dashboard.auth`: manage dashboard users (see dashboard/auth/login.py)."""

from dashboard.auth.login import main

raise SystemExit(main())
