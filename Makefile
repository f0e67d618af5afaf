# Every day: make run · make test · make etl · make sample · make bench · make lint
PYTHON ?= python3
export PYTHONPATH := $(CURDIR)

.PHONY: setup setup-dev run test etl sample bench load serve serve-stop serve-status lint format

setup:
	bash scripts/install.sh

setup-dev:
	bash scripts/install.sh --dev

run: setup
	$(PYTHON) -m streamlit run app.py --server.headless false

test: setup-dev
	$(PYTHON) -m pytest

etl: setup
	$(PYTHON) -m etl build

sample: setup
	$(PYTHON) -m etl sample --out data/sample

# build per stage, rows/s, peak memory, warehouse size at 1× and 10×; warm page times
bench: setup-dev
	$(PYTHON) bench/bench_zscores.py
	nice -n 19 $(PYTHON) bench/bench_scale.py $(BENCH_ARGS)

# A room on a LAN: one Streamlit process per core behind nginx on port 8501 (scripts/serve.py)
serve: setup
	$(PYTHON) scripts/serve.py start $(SERVE_ARGS)

serve-stop:
	$(PYTHON) scripts/serve.py stop $(SERVE_ARGS)

serve-status:
	$(PYTHON) scripts/serve.py status $(SERVE_ARGS)

# 30 sessions for 2 minutes against the serve set-up (LOAD_ARGS=--serve single for one process); e.g. make load WAREHOUSE=/tmp/load-dev/warehouse.duckdb LOAD_ARGS=--rebuild
load: setup-dev
	$(PYTHON) bench/load_test.py --warehouse $(or $(WAREHOUSE),data/warehouse.duckdb) $(LOAD_ARGS)

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

format:
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .
