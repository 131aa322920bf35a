# Every target creates the virtual environment first, so each works on a fresh clone.
# Exact versions of every dependency come from requirements/lock.txt (regenerate with `make lock`).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements/lock.txt pyproject.toml | cksum | cut -d' ' -f1)

PEERS := .venv-peers

.PHONY: install demo test serve bench lint lock clean

install: $(STAMP)

$(STAMP): requirements/lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required / Python >= 3.11 est requis") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

demo: install
	$(BIN)/alliance demo

# The whole suite on the embedded default (SQLite); with DATABASE_URL set (CI, production-like),
# the web tests run a second time on that database (PostgreSQL).
test: install
	env -u DATABASE_URL ALLIANCE_DATA_DIR=$(CURDIR)/.pytest-data $(BIN)/python -m pytest
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "make test: the web tests again, on $$DATABASE_URL"; \
		ALLIANCE_DATA_DIR=$(CURDIR)/.pytest-data $(BIN)/python -m pytest -q tests/web tests/e2e; \
	fi

serve: install
	$(BIN)/alliance serve

bench: install $(PEERS)/.installed
	$(BIN)/python -m benchmarks

# The survey benchmark's peers (samplics, svy) live apart, so their pins never touch ours.
$(PEERS)/.installed:
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/pip install --quiet samplics==0.6.0 svy==0.35.0 && touch $@ \
		|| echo "samplics and svy could not be installed: the benchmark runs without them"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Regenerate the lock after editing the dependencies in pyproject.toml.
lock: install
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev \
	  --output-file requirements/lock.txt pyproject.toml

clean:
	rm -rf $(VENV) $(PEERS) .bench-cache .pytest_cache .mypy_cache .ruff_cache
