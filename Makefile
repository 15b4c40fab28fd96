# `make demo` and `make test` work on a fresh clone: they create .venv and install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

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
	$(BIN)/python -m pytest

# The suite with the process clock at awkward instants (DST, year end, leap day);
# needs Debian's faketime and a C compiler. DATES="2027-03-15T08:00:00Z ..." picks some.
test-dates: $(STAMP)
	$(BIN)/python tests/dates/run.py $(foreach d,$(DATES),--at $(d))

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
