# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: run test install lint format bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# The Nu HTML Checker (tests/test_valid_html.py), from npm's vnu-jar; it runs on Java.
VNU_VERSION := 26.9.27
$(VENV)/vnu/.installed-$(VNU_VERSION): $(VENV)/.installed
	@command -v npm >/dev/null || { echo "npm is needed for the HTML checker (apt-get install -y npm)"; exit 1; }
	npm install --silent --no-audit --no-fund --prefix $(VENV)/vnu vnu-jar@$(VNU_VERSION)
	@touch $@

install: $(VENV)/.installed $(VENV)/vnu/.installed-$(VNU_VERSION)

## Install, migrate (which seeds the guide) and serve on http://127.0.0.1:$(PORT)/
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## Install and run every test (browser tests included, when Chromium is installed).
test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Load-test the thread page with gunicorn (2 sync workers) and wrk; see docs/performance.md.
bench: install
	bash bench/run.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
