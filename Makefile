# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
SAMPLE ?= examples/listings.jsonl
TESTS ?= tests

.PHONY: run test lint check fmt lexicon-lint dist-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

## run: scan the bundled sample dump with the bundled lexicons and print the summary
run: $(STAMP)
	$(BIN)/wildcli scan $(SAMPLE)

## test: run the whole test suite
test: $(DEV_STAMP)
	$(BIN)/python -m pytest $(TESTS)

## lint: ruff and strict mypy
lint: $(DEV_STAMP)
	$(BIN)/ruff check wildcli tests
	$(BIN)/mypy

## check: everything CI runs
check: lint test

## lexicon-lint: lint the bundled lexicons
lexicon-lint: $(STAMP)
	$(BIN)/wildcli lint lexicons

## dist-check: build the wheel, install it in a fresh venv, scan the sample outside the checkout
dist-check: $(DEV_STAMP)
	$(BIN)/python -m pytest tests/test_wheel.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
