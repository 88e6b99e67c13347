# Mijn Haren: `make run` sets everything up and serves the portal; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The demo case system (issue 9): its fixed catalogue URLs, see portal/integrations/zgw/demo.py.
ZGW_DEMO := http://127.0.0.1:8010/catalogi/api/v1
ZGW_ENV := MIJNHAREN_ZGW_BACKEND=http \
	MIJNHAREN_ZGW_REGISTRATIE='{"kapvergunning": "$(ZGW_DEMO)/zaaktypen/2044e033-f8c2-5b24-9d82-b03ffd135d7f"}' \
	MIJNHAREN_ZGW_INFORMATIEOBJECTTYPE=$(ZGW_DEMO)/informatieobjecttypen/f1610bac-e366-5a57-9f4f-c9efc8630b7e \
	MIJNHAREN_ZGW_NOTIFICATIES_AUTH=development-notificaties-geheim

.PHONY: run run-zaaksysteem test check lint format typecheck pytest browser-deps translations frontend clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mijn-haren db upgrade
	$(BIN)/mijn-haren demo load
	@echo "Mijn Haren: http://127.0.0.1:8000 (e-mail goes to var/mail/*.eml)"
	$(BIN)/mijn-haren worker --interval 5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/mijn-haren serve --host 127.0.0.1 --port 8000

# The same, with the demo case system served on :8010 as the municipality's ZGW system.
run-zaaksysteem: $(STAMP)
	$(BIN)/mijn-haren db upgrade
	$(BIN)/mijn-haren demo load
	@echo "Mijn Haren with a ZGW case system: http://127.0.0.1:8000 (kapvergunning goes to it)"
	$(BIN)/mijn-haren zgw demo-server & zgw=$$!; \
	$(ZGW_ENV) $(BIN)/mijn-haren worker --interval 5 & worker=$$!; \
	trap 'kill $$worker $$zgw 2>/dev/null' EXIT INT TERM; \
	$(ZGW_ENV) $(BIN)/mijn-haren serve --host 127.0.0.1 --port 8000

test: check pytest

check: lint typecheck

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

browser-deps:
	@sh scripts/ensure-chromium.sh

pytest: $(STAMP) browser-deps
	$(BIN)/pytest $(PYTEST_ARGS)

translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o portal/locale/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i portal/locale/messages.pot -d portal/locale --no-fuzzy-matching --ignore-obsolete

frontend:
	cd frontend && npm ci && npm run vendor

clean:
	rm -rf $(VENV) var/*.db var/*.db-* .pytest_cache .mypy_cache .ruff_cache
