# «Наставник»: two commands on a fresh Debian machine.
#   make run    set everything up and serve http://127.0.0.1:8000 with demo data
#   make test   set everything up and run the whole suite (ruff, import layers, migrations check, pytest)
#               (on two processes; PYTEST_WORKERS=0 runs pytest on one)
#   make bench  benchmarks on generated district-scale data (tests/perf)
#   make stop   stop the private PostgreSQL clusters
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The venv is rebuilt only when the dependency list changes.
VENV_STAMP := $(VENV)/.stamp-$(shell md5sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

# Debian packages: Python with venv, the PostgreSQL server, Pango and HarfBuzz
# subsetting for WeasyPrint, a Times-metric serif with Cyrillic, poppler for
# reading PDFs in tests, Chromium for browser tests.
APT_PACKAGES := python3 python3-venv postgresql libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0 fonts-liberation2 poppler-utils chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export SECRET_KEY ?= insecure-local-development-key-not-for-production
export SECURE_SSL_REDIRECT ?= 0
# pip warns about the machine's missing local mirrors; that line is noise.
QUIET_PIP := 2> >(grep -v "is ignored" >&2)

.PHONY: help system venv axe run test bench stop

help:
	@sed -n '2,6p' Makefile

system:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

venv: $(VENV_STAMP)

$(VENV_STAMP): pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip $(QUIET_PIP)
	$(PY) -m pip install -q ".[dev]" $(QUIET_PIP)
	touch $@

# axe-core for the browser tests' accessibility checks (tests/e2e/test_axe.py),
# the registry's tarball pinned by its SHA-256. Unreachable (an offline
# machine), the tests that need it are skipped and say why; the suite runs on.
AXE_VERSION := 4.14.1
AXE_SHA256 := e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
AXE_JS := build/axe-core-$(AXE_VERSION)/axe.min.js

axe: $(AXE_JS)

$(AXE_JS):
	@mkdir -p build; tgz=build/axe-core-$(AXE_VERSION).tgz; \
	if curl -fsSL --max-time 60 -o $$tgz.part \
	    https://registry.npmjs.org/axe-core/-/axe-core-$(AXE_VERSION).tgz \
	  && echo "$(AXE_SHA256)  $$tgz.part" | sha256sum -c --quiet; then \
	  mkdir -p $(dir $(AXE_JS)); \
	  tar -xzf $$tgz.part -O package/axe.min.js > $@.part && mv $@.part $@; \
	  rm -f $$tgz.part; \
	else \
	  rm -f $$tgz.part; \
	  echo "axe-core $(AXE_VERSION) could not be fetched from registry.npmjs.org:" \
	    "the accessibility tests (tests/e2e/test_axe.py) will be skipped."; \
	fi

# Dev data lives in its own cluster; DATABASE_URL, when set, wins and we start
# nothing. Demo data (with demo passwords) goes only into our own cluster,
# unless DEMO=1 says the database given is a scratch one too.
run: system venv
	@if [ -n "$${DATABASE_URL:-}" ]; then demo=$${DEMO:-0}; else demo=1; fi; \
	url="$${DATABASE_URL:-$$(scripts/pg.sh start dev)}"; \
	export DATABASE_URL="$$url" DEBUG=$${DEBUG:-1}; \
	$(PY) manage.py migrate --noinput -v 0; \
	if [ "$$demo" = 1 ]; then $(PY) manage.py load_demo; fi; \
	echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"; \
	exec $(PY) manage.py runserver $(HOST):$(PORT) --noreload

# PYTEST_WORKERS=2 runs the suite on two processes (pytest-xdist), each with
# its own test database (test_nastavnik_gw0, _gw1) and media folder; a test
# file stays whole on one process, so a module's shared setup (the permission
# matrix's schools, the demo) is built once. Two, not one per core: CI's cores
# are not known, and each process also drives its own Chromium. Measured on
# this 2-core machine, quiet: 7 min 19 s against about 17 min on one process.
PYTEST_WORKERS ?= 2

test: system venv axe
	@url="$${DATABASE_URL:-$$(scripts/pg.sh start test)}"; \
	export DATABASE_URL="$$url" DJANGO_ALLOW_ASYNC_UNSAFE=true; \
	$(VENV)/bin/ruff check .; \
	$(VENV)/bin/ruff format --check .; \
	$(VENV)/bin/lint-imports; \
	$(PY) manage.py makemigrations --check --dry-run; \
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

bench: system venv
	@url="$${DATABASE_URL:-$$(scripts/pg.sh start test)}"; \
	export DATABASE_URL="$$url" DJANGO_ALLOW_ASYNC_UNSAFE=true; \
	$(VENV)/bin/pytest tests/perf -p no:randomly -s -o addopts="" $(PYTEST_ARGS)

stop:
	@scripts/pg.sh stop dev; scripts/pg.sh stop test
