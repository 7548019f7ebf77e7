# Lianchuang: `make run` (app with demo data) and `make test` (the whole suite) work on a fresh
# Debian/Ubuntu machine; each target does its own set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := python3-venv gettext fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0 chromium
.PHONY: setup system-deps venv run test lint migrations-check bench messages clean

setup: system-deps venv messages

# Debian packages: installed when we are root or have sudo, else the exact command is printed.
system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else echo "Please run: sudo apt-get install -y $$missing"; fi; \
	fi

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

messages: venv
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(PY) manage.py compilemessages -v 0 --ignore=.venv; \
	else echo "msgfmt not found: using the committed .mo files"; fi

# The demo: seed_demo and the public demo password work only in demo mode (README, "Demo mode").
run: export DEMO_MODE = 1
run: setup
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "Starting a Celery worker and beat (REDIS_URL=$$REDIS_URL)"; \
	  DEBUG=$${DEBUG:-1} $(VENV)/bin/celery -A campaign worker -l info --concurrency 2 & \
	  DEBUG=$${DEBUG:-1} $(VENV)/bin/celery -A campaign beat -l info & \
	fi; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: venv
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

test: setup lint migrations-check
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .test-media .pytest_cache
