# Shuniu: `make run` brings the whole app up with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test e2e bench lint setup services stop migrate messages clean backup

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The PDFs' Chinese fonts from Debian's packages, installed only when missing (office/fonts.py).
setup: $(VENV)/.installed node_modules/.installed
	@bin/install-fonts

services: setup
	@$(PY) -m office.embedded start

stop:
	@$(PY) -m office.embedded stop

migrate: setup
	bin/with-services $(PY) manage.py migrate --noinput

# One dated archive of the database, uploads, audit anchors and key file (docs/operations.md,
# "Backup and restore"); ARGS="--output DIR" writes it elsewhere than SHUNIU_BACKUP_DIR.
backup: setup
	bin/with-services $(PY) manage.py backup $(ARGS)

run: setup
	@bin/with-services bin/run-demo

test: setup
	@bin/with-services bin/run-tests $(ARGS)

e2e: setup
	@bin/with-services $(PY) -m pytest tests/e2e $(ARGS)

# The read paths at scale beside their raw-SQL floors (docs/operations.md, "Benchmarks"): makes the
# data once in its own database (shuniu_bench) and reuses it; BENCH_SCALE=full (default) or small,
# BENCH_REGENERATE=1 makes it again. Fails when a goal is missed (at full scale).
bench: setup
	bin/with-services $(PY) -m bench

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# Regenerate the English catalogue after adding strings (the .mo files are committed, as Django does).
messages: setup
	$(PY) manage.py makemessages -l en --ignore=node_modules --ignore=.venv --ignore=.var
	$(PY) manage.py compilemessages -l en -l zh_Hans --ignore=node_modules --ignore=.venv

clean:
	-$(PY) -m office.embedded stop
	rm -rf .var node_modules $(VENV)
