# Streamlead: `make run` serves the app (web server and background worker) with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL := postgresql+psycopg://streamlead@127.0.0.1:54329/streamlead_test
export FLASK_APP := app

.PHONY: run test lint format system-deps postgres clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

system-deps:
	@bash .ci/system-deps.sh

run: $(STAMP) system-deps
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --if-empty
	$(BIN)/flask serve --host 127.0.0.1 --port 5000  # the web server and the background worker

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy assessments app config.py

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

postgres:
	@bash .ci/postgres.sh

test: $(STAMP) system-deps lint
	@bash .ci/test-deps.sh
	@echo "== Test suite on SQLite =="
	$(BIN)/python -m pytest
	@bash .ci/postgres.sh
	@echo "== Test suite on PostgreSQL =="
	TEST_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
