# Self-describing targets: `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
WRK := /usr/bin/wrk
POSTGRES := /usr/lib/postgresql
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.DEFAULT_GOAL := help
.PHONY: help demo test lint emulator clean bench bench-quick chaos soak

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian's Chromium for the browser tests (Playwright's own browser download does not work here)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium

# Debian's PostgreSQL server binaries: the tests start a throwaway cluster (initdb in a temp dir)
$(POSTGRES):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql

# Debian's wrk, the HTTP load generator of the benchmarks
$(WRK):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk

demo: $(STAMP) ## Start the sample tenant, sync it and serve the portal on http://127.0.0.1:5000
	$(BIN)/python -m emulator demo

emulator: $(STAMP) ## Start only the emulator with the sample tenant
	$(BIN)/python -m emulator

test: $(STAMP) $(CHROMIUM) $(POSTGRES) ## Run lint and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto --dist loadfile

bench: $(STAMP) $(WRK) $(POSTGRES) ## Measure every benchmark figure at 10,000 items (ITEMS=100000 for more)
	$(BIN)/python -m bench --items $(or $(ITEMS),10000)

bench-quick: $(STAMP) $(WRK) $(POSTGRES) ## Measure every benchmark figure on 2,000 items (under 5 minutes)
	$(BIN)/python -m bench --quick

chaos: $(STAMP) ## The long chaos run: 500 seeds of indexer faults (about an hour), faults per seed in var/chaos.jsonl
	mkdir -p var && rm -f var/chaos.jsonl
	CHAOS_SEEDS=$(or $(SEEDS),500) CHAOS_REPORT=var/chaos.jsonl $(BIN)/python -m pytest -p no:cacheprovider -n auto --dist load tests/indexer/test_chaos.py

soak: $(STAMP) $(WRK) ## The long soak: 10 minutes of load on the portal while the indexer applies changes
	$(BIN)/python -m bench.soak --minutes $(or $(MINUTES),10) --items 2000

lint: $(STAMP) ## Run ruff
	$(BIN)/ruff check .

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var .pytest_cache .ruff_cache
