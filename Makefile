# Opiekun: `make run` serves a working desk with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Python 3.12+: $(PYTHON) if given, else the first suitable interpreter on PATH or in pyenv.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 /usr/bin/python3.13 /usr/bin/python3.12; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium
PORT ?= 8000
DEMO_CASES ?= 2000

.PHONY: install run services test test-sqlite test-postgres test-browser screenshots lint typecheck messages bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required (set PYTHON=/path/to/python3.12)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	DEBUG=1 $(BIN)/opiekun compilemessages --ignore '.venv' -v 0
	@touch $(STAMP)

run: install
	DEBUG=1 $(BIN)/opiekun migrate --no-input -v 0
	DEBUG=1 $(BIN)/opiekun createcachetable
	DEBUG=1 $(BIN)/opiekun seed_demo --cases $(DEMO_CASES) --if-empty
	@echo "Mail goes to the outbox (Outbox in the desk, var/outbox/) unless EMAIL_HOST is set."
	DEBUG=1 $(BIN)/opiekun worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	DEBUG=1 $(BIN)/opiekun runserver 127.0.0.1:$(PORT)

# What the tests need on this machine (PostgreSQL, Dovecot, Chromium, gettext, npm), installed
# from Debian's packages and started when missing.
services:
	bash scripts/test-services

test: services install lint test-sqlite test-postgres test-browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/opiekun makemigrations --check --dry-run -v 1
	$(BIN)/mypy opiekun tests bench

test-sqlite: install
	$(BIN)/pytest -m "not browser" -q

test-postgres: install
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -m "not browser" -q

# axe-core (accessibility checks) from the npm registry, pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	@touch $@

test-browser: install node_modules/.installed
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest -m browser -q

# The agent guide's pictures (docs/agent-guide/), taken by its browser journey.
screenshots: install node_modules/.installed
	OPIEKUN_SCREENSHOTS=1 CHROMIUM=$(CHROMIUM) $(BIN)/pytest tests/browser/test_agent_guide.py -m browser -q

messages: install
	DEBUG=1 $(BIN)/opiekun makemessages -l pl -l et --ignore '.venv/*' --ignore 'bench/*' --no-obsolete
	DEBUG=1 $(BIN)/opiekun compilemessages --ignore '.venv'

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var
