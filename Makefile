# The two commands of the README. Each creates or reuses .venv and installs exactly the committed
# lock (uv.lock) into it with uv; uv itself comes from PyPI through pip, pinned by hash in
# tools/uv-requirements.txt, so a machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV := $(TOOLS)/bin/uv
STAMP := $(VENV)/.installed-stamp
# uv uses the machine's Python (never downloads one) and installs into .venv.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compiled once: the dependencies at install, the project's own files on first import. A machine
# that sets PYTHONDONTWRITEBYTECODE made every process (each test worker, each console and portal
# started by a test) compile every module it imported, again and again.
export UV_COMPILE_BYTECODE := 1
export PYTHONDONTWRITEBYTECODE :=

.PHONY: demo test lint check-wheel lock openapi bench bench-quick bench-startup i18n clean

$(UV): tools/uv-requirements.txt
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes --no-deps -r tools/uv-requirements.txt
	touch $(UV)

# --locked: refuse to run when uv.lock no longer matches pyproject.toml (refresh it with make lock).
$(STAMP): $(UV) uv.lock pyproject.toml
	$(UV) sync --quiet --locked --extra test --python $(PYTHON)
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/helpdesk

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The wheel a user would install: built from the tree, installed with the locked dependencies into a
# throwaway environment, its two commands run from there, its catalogue and styles inside it.
WHEEL_DIR := build/wheel-check
check-wheel: $(STAMP)
	rm -rf $(WHEEL_DIR)
	$(UV) build --quiet --wheel --out-dir $(WHEEL_DIR)/dist
	$(UV) export --quiet --frozen --no-emit-project --no-header -o $(WHEEL_DIR)/requirements.txt
	$(UV) venv --quiet --python $(PYTHON) $(WHEEL_DIR)/venv
	$(UV) pip install --quiet --python $(WHEEL_DIR)/venv/bin/python --require-hashes \
		-r $(WHEEL_DIR)/requirements.txt
	$(UV) pip install --quiet --python $(WHEEL_DIR)/venv/bin/python --no-deps $(WHEEL_DIR)/dist/*.whl
	cd $(WHEEL_DIR) && venv/bin/helpdesk --version && venv/bin/helpdesk-portal --help >/dev/null
	$(BIN)/python -m tests.wheel_contents $(WHEEL_DIR)/dist/*.whl

# The portal tests run a second time on PostgreSQL when one answers on 127.0.0.1:5432. The suite
# runs on every core (pytest-xdist); each worker has a PostgreSQL database of its own (tests/conftest.py).
test: $(STAMP) lint check-wheel
	@url=$$($(BIN)/python -m tests.find_postgres); \
	if [ -n "$$url" ]; then \
		echo "PostgreSQL answers: the portal tests also run against $$url"; \
	else \
		echo "No PostgreSQL answers on 127.0.0.1:5432: the portal tests run on SQLite only this time."; \
	fi; \
	HELPDESK_TEST_POSTGRES_URL="$$url" $(BIN)/python -m pytest --numprocesses=auto

# Refresh the lock on purpose: the newest versions pyproject.toml allows, and the newest uv.
lock: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)
	echo uv | $(UV) pip compile --quiet --universal --generate-hashes --no-header \
		--python-version 3.11 - -o $(TOOLS)/uv-requirements.txt
	{ echo "# uv, the installer behind the Makefile: bootstrapped with pip from this pinned, hashed file."; \
	  echo "# Refresh with \`make lock\`."; cat $(TOOLS)/uv-requirements.txt; } > tools/uv-requirements.txt

openapi: $(STAMP)
	$(BIN)/python -m helpdesk.portal.openapi > docs/openapi.json

# Every benchmark (bench/__main__.py), then docs/benchmarks.md with issue 10's targets, their
# "before" measured in the same run on the code the issue was filed on (1598f8e): about an hour and
# a half on two cores, a quarter of an hour more the first time (the seeded databases are made once
# and kept in build/bench); PostgreSQL too when it answers on 127.0.0.1:5432. Run it on a quiet
# machine: the figures are wall times. `make bench-quick` tries each out in ten minutes.
bench: $(STAMP)
	$(BIN)/python -m bench

bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick

# Console start-up on a real pty against a bare Textual app in the same run (docs/PERFORMANCE.md).
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
	rm -rf $(VENV) $(TOOLS) build .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
