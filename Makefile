# Every day: make run · make test · make etl · make sample · make bench · make lint
# Each target calls the launcher scripts/dasbor.py (standard library only): it creates .venv,
# installs the exact pins once, then runs the command with .venv's Python. Windows users run
# the same launcher without make: py scripts\dasbor.py run
PYTHON ?= python3
DASBOR = $(PYTHON) scripts/dasbor.py

.PHONY: check-python python setup setup-dev run rapat serve test etl sample boundaries bench load lint format

check-python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "Python 3 belum terpasang. Debian/Ubuntu: sudo apt install python3 python3-venv;" \
	       "macOS: pasang Python 3.11+ dari https://www.python.org/downloads/macos/"; exit 1; }

setup: check-python
	@$(DASBOR) setup

setup-dev: check-python
	@$(DASBOR) setup-dev

run: check-python
	@$(DASBOR) run $(ARGS)

# A LAN server for a meeting: every interface, port 8501 (PORT=8502 to change).
rapat: check-python
	@$(DASBOR) rapat $(if $(PORT),--server.port $(PORT)) $(ARGS)

# A large meeting: WORKERS Streamlit processes behind nginx on one port (PORT, default 8501).
serve: check-python
	@$(DASBOR) serve $(if $(WORKERS),--workers $(WORKERS)) $(if $(PORT),--port $(PORT)) $(ARGS)

test: check-python
	@$(DASBOR) test $(ARGS)

etl: check-python
	@$(DASBOR) etl $(ARGS)

sample: check-python
	@$(DASBOR) sample $(ARGS)

boundaries: check-python
	@$(DASBOR) boundaries $(ARGS)

bench: check-python
	@$(DASBOR) bench

# 30 sessions for 2 minutes against `make serve`'s set-up (LOAD_ARGS="--serve single": one process);
# e.g. make load WAREHOUSE=/tmp/load-dev/warehouse.duckdb LOAD_ARGS=--rebuild
load: check-python
	@$(DASBOR) load --warehouse $(or $(WAREHOUSE),data/warehouse.duckdb) $(LOAD_ARGS)

lint: check-python
	@$(DASBOR) lint

format: check-python
	@$(DASBOR) format

# The project's Python, e.g. make python ARGS="-m dashboard.auth list-users"
python: check-python
	@$(DASBOR) python $(ARGS)
