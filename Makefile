# Samen: `make run` serves the Hasselt demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test run test lint typecheck lock messages bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Samen needs Python 3.11 or newer (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(VENV)/.installed: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-test: requirements/test.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.txt
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/samen migrate --noinput -v0
	$(BIN)/samen collectstatic --noinput -v0
	$(BIN)/samen demo --if-empty
	$(BIN)/samen serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check samen bench conftest.py
	$(BIN)/ruff format --check samen bench conftest.py
	$(BIN)/samen makemigrations --check --dry-run -v0 || { echo "Models changed without a migration: run .venv/bin/samen makemigrations"; exit 1; }
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# Types alone (mypy with django-stubs; strict for compute, services, selectors; also part of `lint`).
typecheck: install-test
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Re-pin the dependencies after editing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 -o requirements/base.txt
	uv pip compile pyproject.toml --extra test --generate-hashes --universal --python-version 3.11 -c requirements/base.txt -o requirements/test.txt

# Update the Dutch and English catalogues after changing strings (needs GNU gettext).
messages: install-test
	cd samen && ../$(BIN)/samen makemessages -l nl -l en --no-obsolete --ignore "tests/*"
	$(BIN)/python -m samen.core.i18n_compile

clean:
	rm -rf $(VENV) var/static

# Benchmarks with big data (never in the suite); figures go in docs/performance.md.
bench: install-test
	$(BIN)/python -m bench.pages
