# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
SAMPLE ?= examples/listings.jsonl
TESTS ?= tests
# Test processes: one per core. The suite runs in about 4.5 minutes on 2 cores, 7.5 on one.
TEST_WORKERS ?= auto

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

## install: put the `wildcli` command on your PATH, in an isolated environment of its own (pipx).
## BINDIR chooses where the command goes: /usr/local/bin for root, ~/.local/bin otherwise.
## EXTRAS adds optional features, e.g. `make install EXTRAS=serve`.
.PHONY: install
ifeq ($(shell id -u),0)
BINDIR ?= /usr/local/bin
else
BINDIR ?= $(HOME)/.local/bin
endif
EXTRAS ?=
install: | $(BIN)/python
	@$(BIN)/python -m pipx --version >/dev/null 2>&1 || $(BIN)/python -m pip install --quiet pipx
	PIPX_BIN_DIR=$(BINDIR) $(BIN)/python -m pipx install --force '$(CURDIR)$(if $(EXTRAS),[$(EXTRAS)])'
	@found=$$(command -v wildcli); \
	if [ "$$found" = "$(BINDIR)/wildcli" ]; then echo "install: wildcli is on your PATH ($$found)"; \
	else echo "install: $(BINDIR) is not on your PATH; add it (export PATH=\"$(BINDIR):\$$PATH\") or run $(BINDIR)/wildcli"; fi

## test: run the whole test suite
test: $(DEV_STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(TESTS)

## lint: ruff and strict mypy
lint: $(DEV_STAMP)
	$(BIN)/ruff check wildcli tests
	$(BIN)/mypy

## check: everything CI runs
check: lint test

## lexicon-lint: lint the bundled lexicons
lexicon-lint: $(STAMP)
	$(BIN)/wildcli lint lexicons

## lexicon-check: the benign-corpus gate and the bundled-lexicon checks (skipped when the shared corpora are absent)
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

## fuzz: hypothesis at full size, plus atheris on the readers when installed, for FUZZ_MINUTES (10)
## fuzz-ci: the same for FUZZ_CI_MINUTES (1), for a scheduled CI job
.PHONY: fuzz fuzz-ci
FUZZ_MINUTES ?= 10
FUZZ_CI_MINUTES ?= 1
fuzz: $(DEV_STAMP)
	@$(MAKE) --no-print-directory _fuzz FUZZ_SECONDS=$$(( $(FUZZ_MINUTES) * 60 ))

fuzz-ci: $(DEV_STAMP)
	@$(MAKE) --no-print-directory _fuzz FUZZ_SECONDS=$$(( $(FUZZ_CI_MINUTES) * 60 ))

# A quarter of the time goes to atheris when it is importable (pip install atheris); crashes it
# finds are written to build/fuzz-artifacts/, its growing corpus kept in build/fuzz-corpus/.
.PHONY: _fuzz
_fuzz:
	@if $(BIN)/python -c "import atheris" 2>/dev/null; then atheris=$$(( $(FUZZ_SECONDS) / 4 )); \
	else atheris=0; echo "fuzz: atheris is not installed, skipping fuzz/readers_atheris.py (pip install atheris)"; fi; \
	HYPOTHESIS_PROFILE=fuzz WILDCLI_FUZZ_SECONDS=$$(( $(FUZZ_SECONDS) - atheris )) \
	  $(BIN)/python -m pytest tests/fuzz tests/reliability/test_hostile_lexicons.py -k "fuzz or big_lexicon" -q || exit $$?; \
	if [ $$atheris -gt 0 ]; then \
	  mkdir -p build/fuzz-corpus/readers build/fuzz-artifacts && \
	  $(BIN)/python fuzz/readers_atheris.py build/fuzz-corpus/readers fuzz/seeds/readers \
	    -max_total_time=$$atheris -artifact_prefix=build/fuzz-artifacts/ -print_final_stats=1; \
	fi

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

## export-figures: what each export does on the sample, the shared benign corpora and the query set
.PHONY: export-figures
export-figures: $(STAMP)
	$(BIN)/python bench/export_figures.py

## bench: throughput, memory and start-up against ripgrep and a naive loop (BENCH_SIZE=small|full),
## and the sql export's agreement with wildcli inside PostgreSQL and DuckDB,
## and `wildcli serve` under a fixed load on loopback (latency percentiles, batch throughput),
## and the contributor loop (lint, lint of one changed file, add, fmt --check) against its targets,
## and Parquet and Arrow IPC scans against the same rows as JSON Lines (rate, peak RSS);
## BENCH_REF=<git revision> also times that revision's wildcli in the same run, for ratios
.PHONY: bench
BENCH_SIZE ?= full
BENCH_REF ?=
bench: $(DEV_STAMP)
	@command -v rg >/dev/null || echo "bench: ripgrep not installed (apt-get install ripgrep): reference rows skipped"
	BENCH_SIZE=$(BENCH_SIZE) $(BIN)/python bench/run.py
	$(BIN)/python bench/obfuscation.py
	$(BIN)/python bench/sql_agreement.py $(if $(filter small,$(BENCH_SIZE)),--no-variants)
	$(BIN)/python bench/serve.py $(if $(filter small,$(BENCH_SIZE)),--requests 2000 --batches 100)
	$(BIN)/python bench/contrib.py $(if $(BENCH_REF),--reference $(BENCH_REF))
	$(BIN)/python bench/columnar.py $(if $(filter small,$(BENCH_SIZE)),--runs 1)
