# The two commands of the README: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test test-fast lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# axe-core (npm) checks the admin's accessibility in the browser tests.
$(VENV)/.installed-test: pyproject.toml package-lock.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	npm ci --no-audit --no-fund --silent
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/hotline init-db
	$(BIN)/hotline demo --if-empty
	PORT=$(PORT) $(BIN)/hotline serve

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# The loop while developing: everything but slow tests and those needing speech tools, a browser or
# servers, on every core (each test process gets its own database and data dir).
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -x -n auto -m "not slow and not speech and not browser and not postgres and not redis"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# The webhook benchmark against a correct minimal Twilio app, load from wrk (Debian's package).
# With DATABASE_URL naming a PostgreSQL server it measures that backend too.
bench: $(VENV)/.installed-test
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python benchmarks/webhooks.py $(BENCH_ARGS)
