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

## lexicon-check: the benign-corpus gate and the bundled-lexicon checks (skip without /work/shared)
.PHONY: lexicon-check
lexicon-check: $(DEV_STAMP)
	$(BIN)/python -m pytest tests/test_benign_gate.py tests/test_bundled_lexicon.py

## dist-check: build the wheel, install it in a fresh venv, scan the sample outside the checkout
dist-check: $(DEV_STAMP)
	$(BIN)/python -m pytest tests/test_wheel.py

## report-demo: HTML report of the bundled sample in build/report-demo.html, and a screenshot of it
.PHONY: report-demo
CHROMIUM ?= /usr/bin/chromium
report-demo: $(STAMP)
	mkdir -p build
	$(BIN)/wildcli scan $(SAMPLE) --format html --output build/report-demo.html
	@if [ -x "$(CHROMIUM)" ]; then \
	  profile=$$(mktemp -d); \
	  "$(CHROMIUM)" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --user-data-dir=$$profile --hide-scrollbars --window-size=1400,1900 \
	    --screenshot=$(CURDIR)/build/report-demo.png file://$(CURDIR)/build/report-demo.html \
	    >/dev/null 2>&1; status=$$?; rm -rf $$profile; \
	  [ $$status -eq 0 ] && echo "wrote build/report-demo.html and build/report-demo.png"; exit $$status; \
	else \
	  echo "wrote build/report-demo.html; no screenshot: $(CHROMIUM) not found (apt-get install chromium)"; \
	fi

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
