# One command per habit; `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DATA_DIR ?= ../shared/data

.DEFAULT_GOAL := help
.PHONY: help install browser run serve demo test lint format schema bench bench-graph bench-verify bench-load bench-abandoned bench-matching bench-attribution wrk \
	train-stance clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU build of torch first: otherwise pip resolves a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

# The dependency parser (spaCy 2.3 with its English model) in an environment of its own, run as a
# sidecar process: it needs numpy<2, crosscheck numpy 2. Versions and hashes: parser/requirements.txt.
PARSER_VENV ?= .venv-parser
PARSER_INSTALLED := $(PARSER_VENV)/.installed

$(PARSER_INSTALLED): parser/requirements.txt
	test -x $(PARSER_VENV)/bin/python || $(PYTHON) -m venv $(PARSER_VENV)
	$(PARSER_VENV)/bin/python -m pip install --quiet --require-hashes -r parser/requirements.txt
	touch $(PARSER_INSTALLED)

# GraphiQL's browser files (React included), served at /docs/assets/ so that /graphql works
# offline: versions and checksums pinned in package-lock.json. Without npm, /graphql says so.
GRAPHIQL_DIR := api/graphiql
GRAPHIQL_INSTALLED := $(GRAPHIQL_DIR)/node_modules/.package-lock.json

$(GRAPHIQL_INSTALLED): $(GRAPHIQL_DIR)/package.json $(GRAPHIQL_DIR)/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix $(GRAPHIQL_DIR) --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm was not found: GraphiQL at /graphql will say that its files are missing"; fi

install: $(INSTALLED) $(PARSER_INSTALLED) $(GRAPHIQL_INSTALLED)  ## Create .venv (crosscheck, dev tools), .venv-parser (the parser), and GraphiQL's files

run: install  ## Install, migrate the SQLite default, load the demo, serve on :8000
	$(BIN)/crosscheck db upgrade
	$(BIN)/crosscheck serve --demo

serve: install  ## Serve without loading the demo
	$(BIN)/crosscheck serve

demo: install  ## Load the demo scenarios into the configured database
	$(BIN)/crosscheck db upgrade
	$(BIN)/crosscheck demo

# Debian's chromium, driven by Playwright in the page's browser tests. Installed only when
# missing; where it cannot be (no apt, not root) those tests skip and say why.
CHROMIUM ?= /usr/bin/chromium

browser:  ## Install Debian's chromium for the browser tests, if it is missing
	@test -x $(CHROMIUM) || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends chromium) \
	  || echo "chromium could not be installed: the browser tests will be skipped"; }

test: install browser  ## Run the whole test suite (PostgreSQL and browser tests skip if absent)
	$(BIN)/pytest

lint: install  ## ruff (lint and format), mypy, and the import layers (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install  ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: install  ## Write the GraphQL schema (SDL) to schema.graphql
	$(BIN)/crosscheck graphql-schema --output schema.graphql

bench: install  ## Print start-up, verify latency and stance figures (dev splits)
	$(BIN)/python bench/verify_latency.py
	$(BIN)/python bench/stance.py --data-dir $(DATA_DIR)

wrk:  ## Install wrk (apt) if missing: the load generator bench-verify runs
	@command -v wrk >/dev/null || apt-get install -y -q wrk || (apt-get update -q && apt-get install -y -q wrk)

bench-graph: install  ## Stance graph: build rate, evidence from the graph vs judged live
	$(BIN)/python bench/graph.py $(BENCH_ARGS)

bench-verify: install wrk  ## Encoder, index, /v1/verify and load at 100k and 1M claims, vs Chroma (BENCH_ARGS="--duration 10" for a quick run)
	$(BIN)/python bench/verify.py $(BENCH_ARGS)

bench-abandoned: install  ## Work a server spends after its client hangs up, and under a time budget
	$(BIN)/python bench/abandoned.py $(BENCH_ARGS)

bench-load: install wrk  ## Reads (wrk) and a bulk load at once on one server: 0 errors, p99 (BENCH_ARGS="--duration 20")
	$(BIN)/python bench/load.py $(BENCH_ARGS)

bench-matching: install  ## Claim matching: CheckThat! 2020 MAP@k per retrieval mode, /v1/search at 10k and 1M claims (BENCH_ARGS="--sizes 10000 --requests 50" for a quick run)
	$(BIN)/python bench/claim_matching.py --data-dir $(DATA_DIR) $(BENCH_ARGS)

bench-attribution: install  ## Attribution: found / attributed right on each keyed set, rules alone and with the parser, by cue; articles per second
	$(BIN)/python bench/attribution.py --by-cue --speed $(BENCH_ARGS)

train-stance: install  ## Retrain the stance model into models/stance (under an hour on 2 cores)
	$(BIN)/crosscheck train-stance --data-dir $(DATA_DIR) --output models/stance

clean:  ## Remove the local database and index
	rm -rf var
