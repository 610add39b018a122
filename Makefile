# make run  — the app on SQLite with demo data, at http://127.0.0.1:$(PORT)
# make test — the whole suite on SQLite, then again on PostgreSQL when one answers
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
RUN_STAMP := $(VENV)/.run-stamp
TEST_STAMP := $(VENV)/.test-stamp
TEST_POSTGRES ?= postgresql://127.0.0.1:5432/test
# Tests run on every core (pytest-xdist); each worker has its own databases.
PYTEST_ARGS ?= -n auto
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The system libraries WeasyPrint draws PDFs with, and a Japanese font (stintranet/pdf.py).
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk

.PHONY: run test lint test-sqlite test-postgres chromium pdf-libs translations clean \
	bench bench-smoke wrk

# make run installs what the app needs to run and serve; make test adds the test tools.
$(RUN_STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo '==> Creating the virtual environment in $(VENV)'; \
	  $(PYTHON) -m venv $(VENV); }
	@echo '==> Installing the app and its server (pip; about a minute the first time)'
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -e '.[serve]'
	@touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP) pyproject.toml
	@echo '==> Installing the test tools (pytest, Playwright, psycopg, ruff, pypdf)'
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -e '.[serve,test]'
	@touch $(TEST_STAMP)

# The Japanese catalogue is compiled from translations/ja/LC_MESSAGES/messages.po (the .mo
# is never committed).
translations: $(RUN_STAMP)
	@echo '==> Compiling the translations'
	@$(BIN)/pybabel compile --statistics -d translations

# The web server and one queue consumer (e-mail, the daily job) together; Ctrl-C (or the
# server stopping) stops the consumer too.
CONSUMER_ARGS := --workers 2 --worker-type thread --max-delay 2 --graceful-signal TERM --shutdown-timeout 30

run: $(RUN_STAMP) pdf-libs translations
	@echo '==> Creating or upgrading the database (instance/)'
	@$(BIN)/flask --app app init-db
	@echo '==> Loading the demo organisation (only into an empty database)'
	@$(BIN)/flask --app app seed-demo --if-empty
	@$(BIN)/huey_consumer stintranet.worker.huey $(CONSUMER_ARGS) --quiet & \
	consumer=$$!; trap 'kill -TERM $$consumer 2>/dev/null; wait $$consumer' EXIT INT TERM; \
	echo "==> Queue consumer started (pid $$consumer): e-mail and the daily job"; \
	echo "==> Starting the web server: open http://127.0.0.1:$(PORT)/ once it prints Running on (the demo sign-ins are above; Ctrl-C stops)"; \
	$(BIN)/flask --app app run --host 127.0.0.1 --port $(PORT)

pdf-libs:
	@{ dpkg -s $(PDF_PACKAGES) >/dev/null 2>&1; } || { \
	  echo '==> Installing the PDF libraries and a Japanese font with apt: $(PDF_PACKAGES)'; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(PDF_PACKAGES); }

chromium:
	@test -x /usr/bin/chromium || { echo 'Installing Debian chromium for the browser tests'; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

test: $(TEST_STAMP) lint chromium pdf-libs translations test-sqlite test-postgres

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

test-sqlite: $(TEST_STAMP) translations
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(TEST_STAMP) translations
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect('$(TEST_POSTGRES)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "PostgreSQL answers at $(TEST_POSTGRES): running the suite there too"; \
	  STINTRANET_TEST_POSTGRES='$(TEST_POSTGRES)' $(BIN)/pytest $(PYTEST_ARGS); \
	else echo "No PostgreSQL at $(TEST_POSTGRES): skipping the PostgreSQL run"; fi

# make bench       — the full benchmark (bench/README.md): data set, load run, mixed writes
# make bench-smoke — the same at a tiny data set with 1-second rounds (not part of make test)
BENCH_STAMP := $(VENV)/.bench-stamp
SMOKE_INSTANCE := bench/out/smoke-instance

$(BENCH_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,serve,bench]'
	@touch $(BENCH_STAMP)

wrk:
	@command -v wrk >/dev/null || { echo 'Installing Debian wrk for the benchmark'; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; }

bench: $(BENCH_STAMP) wrk
	$(BIN)/python bench/dataset.py --verify
	$(BIN)/python bench/run.py
	$(BIN)/python bench/mixed.py

bench-smoke: $(BENCH_STAMP) wrk
	$(BIN)/python bench/dataset.py --scale 0.01 --instance $(SMOKE_INSTANCE)
	$(BIN)/python bench/run.py --smoke --instance $(SMOKE_INSTANCE) --output bench/out/smoke-results.json
	$(BIN)/python bench/mixed.py --seconds 3 --instance $(SMOKE_INSTANCE) --output bench/out/smoke-mixed.json

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
