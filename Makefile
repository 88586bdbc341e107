# Two commands do everything: `make run` and `make test`. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# The suite runs in parallel, one pytest-xdist worker per core; PYTEST_WORKERS=0 runs it in
# one process. Slow tests start first (tests/conftest.py) and idle workers steal queued ones.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist worksteal
CATALOGUES := $(wildcard tracker/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: run test test-postgres bench lint typecheck messages translations clean

run: $(VENV)/.runtime translations
	$(BIN)/flask --app app db upgrade
	$(BIN)/waitress-serve --host=$(HOST) --port=$(PORT) app:app

test: $(VENV)/.dev translations
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# The same suite on PostgreSQL: a throwaway cluster, or the server $$DATABASE_URL names.
test-postgres: $(VENV)/.dev translations
	scripts/with-postgres $(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# The benchmark: seeds each tier (solo, heavy, firm) and writes docs/benchmarks.md.
bench: $(VENV)/.dev translations
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.dev
	$(BIN)/mypy

# Extract the marked strings and merge them into the catalogues (then translate the new ones).
messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _l -k lazy_gettext -o tracker/translations/messages.pot --no-location --omit-header .
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations --no-fuzzy-matching --width 100

translations: $(COMPILED)

tracker/translations/%/LC_MESSAGES/messages.mo: tracker/translations/%/LC_MESSAGES/messages.po $(VENV)/.runtime
	$(BIN)/pybabel -q compile -i $< -o $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=25.1"

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.runtime
	$(BIN)/pip install -q -e . --group dev
	touch $@

clean:
	rm -rf $(VENV) $(COMPILED) test-artifacts .pytest_cache .mypy_cache .ruff_cache
