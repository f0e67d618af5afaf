# Every day: make run · make test · make etl · make sample · make bench · make lint
PYTHON ?= python3
export PYTHONPATH := $(CURDIR)

.PHONY: setup setup-dev run test etl sample bench load lint format mutants

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

bench: setup-dev
	$(PYTHON) bench/bench_zscores.py
	$(PYTHON) bench/bench_build.py

# 30 sessions for 3 minutes; e.g. make load WAREHOUSE=/tmp/load-dev/warehouse.duckdb LOAD_ARGS=--rebuild
load: setup-dev
	$(PYTHON) bench/load_test.py --warehouse $(or $(WAREHOUSE),data/warehouse.duckdb) $(LOAD_ARGS)

# Mutation check of the number-computing modules and etl/sql/ (tens of minutes; not in `make test`)
mutants: setup-dev
	nice -n 10 $(PYTHON) scripts/mutants.py $(MUTANTS_ARGS)

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

format:
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .
