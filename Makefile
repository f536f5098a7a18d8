# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: run test install vnu lint format bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

# The Nu HTML Checker for tests/test_valid_html.py, from npm's vnu-jar (it runs on Java; the
# package's own download of a Java runtime is skipped). Only `make test` wants it; without npm,
# the network or Java, the test says so and skips (in CI it fails).
VNU_VERSION := 26.9.27
VNU_STAMP   := $(VENV)/vnu/.installed-$(VNU_VERSION)
vnu: install
	@if [ -f $(VNU_STAMP) ]; then :; \
	elif command -v npm >/dev/null; then \
		npm install --silent --no-audit --no-fund --ignore-scripts --prefix $(VENV)/vnu vnu-jar@$(VNU_VERSION) \
			&& touch $(VNU_STAMP) || echo "vnu-jar could not be installed: the HTML checker's test will skip"; \
	else echo "npm not found: the HTML checker's test will skip (apt-get install -y npm)"; fi

## Install, migrate (which seeds the guide) and serve on http://127.0.0.1:$(PORT)/
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## Install and run every test (browser tests included, when Chromium is installed).
test: install vnu
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
