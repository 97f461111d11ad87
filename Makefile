# JO E-Tickets — the two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The Games took place in summer 2024: the demo replays them from the eve of the opening.
ETICKETS_TODAY ?= 2024-07-20

.PHONY: run test lint format browser messages vendor lock clean prod bench chaos soak

$(VENV)/.installed: requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $@

run: $(VENV)/.installed
	mkdir -p var/static
	DEBUG=true ETICKETS_TODAY=$(ETICKETS_TODAY) $(BIN)/python manage.py migrate --noinput
	DEBUG=true ETICKETS_TODAY=$(ETICKETS_TODAY) $(BIN)/python manage.py seed_demo
	@echo "JO E-Tickets : http://127.0.0.1:$(PORT)/"
	# The links in e-mails point where the site is served (SITE_URL, unless set already).
	DEBUG=true ETICKETS_TODAY=$(ETICKETS_TODAY) SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed browser lint
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Production mode on this machine: gunicorn, PostgreSQL, Redis, Celery (docs/DEPLOYMENT.md);
# WEB_NODES=2: two application servers behind HAProxy (docs/SCALING.md).
prod: $(VENV)/.installed
	scripts/prod.sh

# The sales-rush benchmark (tools/bench/); prints its report and writes it to var/bench/
# (BENCH_DURATION=15 seconds a phase).
bench: $(VENV)/.installed
	scripts/bench.sh

# A sales rush while a web worker is killed, PostgreSQL restarted, Redis and the Celery worker
# stopped; then the books, each invariant with its figure (tools/chaos/). It restarts this
# machine's PostgreSQL: on a machine of its own only.
chaos: $(VENV)/.installed
	scripts/chaos.sh

# The same stack under steady pages, purchases and scans (SOAK_SECONDS, 20 minutes): no error,
# and each worker's memory within 10 % of its start.
SOAK_SECONDS ?= 1200
soak: $(VENV)/.installed
	scripts/chaos.sh --soak $(SOAK_SECONDS)

# Debian's Chromium when the machine has it, else Playwright's own build.
browser: $(VENV)/.installed
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
		|| $(BIN)/playwright install chromium

# Translations: extract the French source strings, then compile after editing locale/en.
messages: $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=node_modules
	DEBUG=true $(BIN)/python manage.py compilemessages -l en --ignore=.venv

vendor:
	scripts/vendor.sh

# Re-pin every dependency after editing pyproject.toml (needs pip-tools).
lock:
	pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements.lock pyproject.toml
	pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) var test-results test-output node_modules .mypy_cache
