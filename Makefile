# Hwallyu — the two commands a newcomer types: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

ifeq (, $(shell command -v $(PYTHON) 2>/dev/null))
PYTHON := python3
endif

.PHONY: run test deps test-deps chromium assets lint typecheck migrations-check test-unit test-browser bench bench-smoke clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json
	$(BIN)/python scripts/vendor_assets.py

deps: $(STAMP) assets

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(TEST_STAMP)

chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; \
	  fi; \
	fi

test-deps: deps $(TEST_STAMP) chromium

## make run: set up everything, migrate var/hwallyu.sqlite3, load the demo city, start web + worker
run: deps
	HWALLYU_DEMO=1 DEBUG=$${DEBUG:-True} $(BIN)/hwallyu serve --host $(HOST) --port $(PORT)

## make test: the whole suite (unit, integration, browser); fails when no test ran
test: test-deps
	HWALLYU_TESTING=1 $(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS); \
	  status=$$?; if [ $$status -eq 5 ]; then echo "no tests ran" >&2; exit 1; fi; exit $$status

test-unit: test-deps
	HWALLYU_TESTING=1 $(BIN)/python -m pytest -p no:cacheprovider -m "not browser" $(PYTEST_ARGS)

test-browser: test-deps
	HWALLYU_TESTING=1 $(BIN)/python -m pytest -p no:cacheprovider -m browser $(PYTEST_ARGS)

lint: test-deps
	$(BIN)/ruff check hwallyu tests bench scripts
	$(BIN)/ruff format --check hwallyu tests bench scripts

typecheck: test-deps
	HWALLYU_TESTING=1 $(BIN)/mypy hwallyu

migrations-check: deps
	HWALLYU_TESTING=1 $(BIN)/hwallyu makemigrations --check --dry-run

## make bench: the benchmark suite at small + large on SQLite and PostgreSQL (BENCH_PG_URL); updates README
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
bench: deps
	BENCH_PG_URL=$(BENCH_PG_URL) $(BIN)/python bench/run.py --db sqlite --db postgres --update-readme $(BENCH_ARGS)

## make bench-smoke: every benchmark at tiny + small on SQLite; checks query counts and that all run (CI)
bench-smoke: deps
	$(BIN)/python bench/run.py --smoke $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules hwallyu/static/vendor var/static
