# `make demo` and `make test` work on a fresh clone: they create .venv and install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test processes (pytest-xdist). Most of a test's time is spent waiting on sockets and
# threads, so four share two cores well: 5.5 min of suite becomes about 2.
TEST_WORKERS ?= 4

.PHONY: demo test test-dates lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/geese-bot shell

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo --no-cache
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# The suite with the process clock at awkward instants (DST, year end, leap day);
# needs Debian's faketime and a C compiler. DATES="2027-03-15T08:00:00Z ..." picks some.
test-dates: $(STAMP)
	$(BIN)/python tests/dates/run.py $(foreach d,$(DATES),--at $(d)) -- -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo --no-cache

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
