# Samtal: everyday tasks. Everything runs through the virtualenv in .venv.
#
#   make setup   create/refresh .venv (scripts/bootstrap.sh; add Debian packages with
#                scripts/bootstrap.sh --system)
#   make demo    migrate, load the demo data (prints the logins), serve on 127.0.0.1:8000
#                with the background-job worker beside it
#   make test    Debian packages + .venv, then the suite on SQLite and on PostgreSQL
#   make lint    ruff, migrations up to date, Django system checks (incl. --deploy),
#                deployment artefacts (hadolint, systemd-analyze verify, nginx -t)
#   make ci      lint, then test

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PYTHON := $(VENV)/bin/python
RUFF := $(VENV)/bin/ruff
BOOTSTRAP := bash scripts/bootstrap.sh
DEV := DEBUG=true
# Production-like settings for `check --deploy`: DEBUG unset, a fresh 50+ character key.
DEPLOY := env -u DEBUG SECRET_KEY="$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" ALLOWED_HOSTS=samtal.example.se EMAIL_HOST=smtp.example.se DEFAULT_FROM_EMAIL="Samtal <samtal@example.se>"

.PHONY: help setup venv demo test lint ci

help:
	@sed -n '3,11s/^# \{0,1\}//p' Makefile

setup:
	$(BOOTSTRAP)

venv:
	@$(BOOTSTRAP)

demo: venv
	$(DEV) $(PYTHON) manage.py migrate --noinput -v 0
	$(DEV) $(PYTHON) manage.py seed_demo
	@# The worker (background jobs) runs beside the server and stops with it.
	$(DEV) $(PYTHON) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(DEV) $(PYTHON) manage.py runserver 127.0.0.1:8000

test:
	$(BOOTSTRAP) --system --idp
	$(PYTHON) scripts/run_tests.py

lint: venv
	$(RUFF) check .
	$(RUFF) format --check .
	$(VENV)/bin/lint-imports
	$(DEV) $(PYTHON) manage.py makemigrations --check --dry-run
	$(DEV) $(PYTHON) manage.py check
	$(DEPLOY) $(PYTHON) manage.py check --deploy --fail-level WARNING
	bash scripts/check_deploy.sh

# The system packages come first, so that a fresh machine can build .venv for lint.
ci:
	$(BOOTSTRAP) --system
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test
