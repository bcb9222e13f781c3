# Two commands for a newcomer: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test check-banks serve-prod clean bench bench-profile bench-lighthouse

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make run: create/migrate the SQLite database, load the bundled banks, serve on http://127.0.0.1:5000
run: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi banks sync
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

## make test: the whole suite (browser tests run when Chromium is installed)
test: install-test
	@if [ -x /usr/bin/chromium ] || [ -n "$$QUIZ_CHROMIUM" ]; then \
	  echo "Browser tests: Chromium found, they will run."; \
	else \
	  echo "Browser tests: SKIPPED — Chromium is not installed (apt-get install chromium; see .ci/run)."; \
	fi
	$(BIN)/python -m pytest -ra $(PYTEST_ARGS)

check-banks: install
	$(BIN)/flask --app wsgi banks check

## production-like: several gunicorn workers (set QUIZ_DATABASE_URL and QUIZ_SECRET_KEY)
serve-prod: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi banks sync
	$(BIN)/gunicorn --worker-class gevent --workers 4 --worker-connections 1000 --bind $(HOST):$(PORT) wsgi:app

## make bench: bank check/sync of a 10k bank, then the study loop under load, on SQLite and PostgreSQL
## (see bench/README.md).
## JSON lines on stdout and in bench/results/latest.jsonl; BENCH_ARGS="--db sqlite --rebuild" etc.
## Only the bank check/sync lines (about a minute): make bench BENCH_ARGS="--bench banks"
## (stdout carries only the JSON lines: installing and progress go to stderr)
## then Lighthouse on the main pages (bench/lighthouse.py; LIGHTHOUSE_ARGS="--pages home,quiz --runs 1")
## The live game only (1,000 players, PostgreSQL, without and with Redis, and the kill run): BENCH_ARGS="--bench game"
bench:
	@$(MAKE) --no-print-directory $(VENV)/.installed-bench >&2
	@$(BIN)/python bench/run.py $(BENCH_ARGS)
	@$(BIN)/python bench/lighthouse.py $(LIGHTHOUSE_ARGS)

## make bench-lighthouse: only the Lighthouse scores (installs lighthouse with npm into bench/node_modules)
bench-lighthouse:
	@$(MAKE) --no-print-directory install >&2
	@$(BIN)/python bench/lighthouse.py $(LIGHTHOUSE_ARGS)

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $@

## make bench-profile: the same, plus a pyinstrument profile of the study requests in bench/results/
bench-profile:
	@$(MAKE) --no-print-directory $(VENV)/.installed-bench >&2
	@$(BIN)/python bench/run.py --profile $(BENCH_ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
