# The two commands of the README. Each creates or reuses .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint openapi bench bench-startup i18n clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/helpdesk

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The portal tests run a second time on PostgreSQL when one answers on 127.0.0.1:5432.
test: $(STAMP) lint
	@url=$$($(BIN)/python -m tests.find_postgres); \
	if [ -n "$$url" ]; then \
		echo "PostgreSQL answers: the portal tests also run against $$url"; \
	else \
		echo "No PostgreSQL answers on 127.0.0.1:5432: the portal tests run on SQLite only this time."; \
	fi; \
	HELPDESK_TEST_POSTGRES_URL="$$url" $(BIN)/python -m pytest

openapi: $(STAMP)
	$(BIN)/python -m helpdesk.portal.openapi > docs/openapi.json

bench: $(STAMP) bench-startup
	$(BIN)/python -m bench.search

# Console start-up: first paint and portal ready, remote and embedded (docs/PERFORMANCE.md).
bench-startup: $(STAMP)
	$(BIN)/python -m bench.startup

# Extract every user-visible string of the console, merge it into the catalogues, compile them.
# The .mo files are committed, so a fresh clone runs without this step; a test fails when a
# catalogue misses a string or is out of date with its .mo.
LOCALE := helpdesk/locale
i18n: $(STAMP)
	$(BIN)/pybabel extract --project=helpdesk --no-wrap --sort-by-file --add-location=file \
		-k _l -k lazy_gettext -o $(LOCALE)/helpdesk.pot helpdesk screens
	$(BIN)/pybabel update --no-wrap -D helpdesk -i $(LOCALE)/helpdesk.pot -d $(LOCALE)
	$(BIN)/pybabel compile -D helpdesk -d $(LOCALE) --statistics

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
