# ParkOS developer commands. The two set-up commands are `make demo` and `make test` (README.md);
# both start with `make install`, which is quick when nothing changed (stamps, dpkg look-ups).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# Steps run one after the other, even under `make -j`: lint, then SQLite, then PostgreSQL.
.NOTPARALLEL:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The dev and test servers run with debug on: no HTTPS redirect, localhost allowed.
PARKOS := PARKOS_DEBUG=1 $(BIN)/parkos
# chromium drives the browser tests, fonts-noto-cjk draws Chinese, gettext makes translations, redis-server
# serves the multi-process test (tests/deploy: two app servers and two workers sharing Redis).
DEBIAN_PACKAGES := chromium fonts-noto-cjk gettext redis-server
POSTGRES_URL := postgres://postgres@127.0.0.1:5432/parkos
PYTEST_WORKERS ?= 2
# --dist loadscope keeps each test class on one worker, so its setUpTestData runs once.
PYTEST_ARGS ?= -n $(PYTEST_WORKERS) --dist loadscope --durations=10
PYTEST := PARKOS_DEBUG=1 $(BIN)/pytest $(PYTEST_ARGS)
# API fuzzing: examples per operation, user and mode for `make fuzz` (the test suite's short run makes 5).
FUZZ_EXAMPLES ?= 50

.PHONY: help install demo test lint test-sqlite test-postgres postgres debian-packages static \
	bench bench-investment bench-leasing bench-evaluation bench-evaluation-e2e bench-intake messages lock fuzz

help:
	@echo "make demo           install everything, load the demo data, serve at http://127.0.0.1:8000"
	@echo "make test           install everything, lint, run the tests on SQLite and on PostgreSQL"
	@echo "make install        virtualenv + Python packages, npm packages, Debian packages, static files"
	@echo "make lint           ruff check, mypy (strict on core, services and selectors), no model change without its migration"
	@echo "make test-sqlite    the test suite on SQLite only"
	@echo "make test-postgres  the test suite on PostgreSQL only (starts it if needed)"
	@echo "make fuzz           schemathesis against every API operation, FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) new examples each (the suite runs 5)"
	@echo "make bench          the registry benchmark (bench/registry.py)"
	@echo "make bench-investment  the investment figures and report benchmark (bench/investment.py)"
	@echo "make bench-leasing  the occupancy and rent roll benchmark (bench/leasing.py)"
	@echo "make bench-evaluation  the scoring engine at 100,000 and 1,000,000 filings (bench/evaluation.py)"
	@echo "make bench-evaluation-e2e  parkos evaluate end to end on SQLite and PostgreSQL beside a SQL floor (bench/evaluation_e2e.py)"
	@echo "make bench-intake   press-intake extraction time per article of the development set (bench/intake.py)"
	@echo "make messages       update the zh_Hans translation catalogue and compile it"
	@echo "make lock           re-pin requirements/constraints.txt after a dependency change"

install: $(VENV)/.installed node_modules/.installed debian-packages static

$(BIN)/python:
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || bash .ci/debian-packages.sh python3-venv
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -c requirements/constraints.txt -e '.[test]'
	@touch $@

node_modules/.installed: package.json $(wildcard package-lock.json)
	@command -v npm >/dev/null || bash .ci/debian-packages.sh nodejs npm
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	@touch $@

debian-packages:
	@bash .ci/debian-packages.sh $(DEBIAN_PACKAGES)

# Compiled translations (.mo) are committed, so no compilemessages here.
static: $(VENV)/.installed node_modules/.installed
	$(PARKOS) collectstatic --noinput --verbosity 0

demo: install
	$(PARKOS) demo

test: install postgres lint test-sqlite test-postgres

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	PARKOS_DEBUG=1 $(BIN)/mypy
	$(PARKOS) makemigrations --check --dry-run

test-sqlite: $(VENV)/.installed
	@echo "== Tests on SQLite"
	env -u DATABASE_URL $(PYTEST)

postgres:
	@bash .ci/postgres.sh

test-postgres: $(VENV)/.installed postgres
	@echo "== Tests on PostgreSQL ($(POSTGRES_URL))"
	DATABASE_URL=$(POSTGRES_URL) $(PYTEST)

# The suite's short run (tests/fuzz, 5 fixed examples) at length, with new examples each time; its own test
# database (SQLite; DATABASE_URL=postgres://... for PostgreSQL), login throttling off. docs/operations.md, Fuzzing.
fuzz: $(VENV)/.installed
	@echo "== API fuzzing: $(FUZZ_EXAMPLES) examples per operation, user and mode"
	PARKOS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) PARKOS_FUZZ_SEED=random PARKOS_DEBUG=1 $(BIN)/pytest -p no:xdist tests/fuzz -q

bench: $(VENV)/.installed
	PARKOS_DEBUG=1 $(BIN)/python bench/registry.py

bench-investment: $(VENV)/.installed
	PARKOS_DEBUG=1 $(BIN)/python bench/investment.py

bench-leasing: $(VENV)/.installed
	PARKOS_DEBUG=1 $(BIN)/python bench/leasing.py

bench-evaluation: $(VENV)/.installed
	PARKOS_DEBUG=1 $(BIN)/python bench/evaluation.py --sizes 100000 1000000

bench-evaluation-e2e: $(VENV)/.installed
	PARKOS_DEBUG=1 $(BIN)/python bench/evaluation_e2e.py --databases sqlite postgresql --sizes 100000 1000000

bench-intake: $(VENV)/.installed
	PARKOS_DEBUG=1 $(BIN)/python bench/intake.py --memory

# makemessages and compilemessages run inside parkos/ so they never walk .venv or node_modules;
# --no-wrap keeps each message on one line, so a new string changes a few lines of the .po, not hundreds.
messages: $(VENV)/.installed
	cd parkos && PARKOS_DEBUG=1 ../$(BIN)/parkos makemessages -l zh_Hans --ignore "*/tests/*" \
		--ignore "*/migrations/*" --no-location --no-obsolete --no-wrap
	cd parkos && PARKOS_DEBUG=1 ../$(BIN)/parkos compilemessages -l zh_Hans

# Re-pin: a throwaway virtualenv gets `.[test]` (keeping the current pins that still fit),
# and its `pip freeze` becomes the new constraints file.
lock: LOCK_VENV := $(or $(TMPDIR),/tmp)/parkos-lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --disable-pip-version-check -q -c requirements/constraints.txt -e '.[test]' \
		|| $(LOCK_VENV)/bin/pip install --disable-pip-version-check -q -e '.[test]'
	{ echo "# Pinned versions of every Python package ParkOS installs (make lock regenerates this)."; \
	  $(LOCK_VENV)/bin/pip freeze --exclude-editable --disable-pip-version-check; } > requirements/constraints.txt
	rm -rf $(LOCK_VENV)
	$(BIN)/pip install --disable-pip-version-check -q -c requirements/constraints.txt -e '.[test]'
