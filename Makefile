# `make demo` and `make test` work on a fresh clone: they create .venv and install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test processes (pytest-xdist). Most of a test's time is spent waiting on sockets and
# threads, so four share two cores well: 5.5 min of suite becomes about 2.
TEST_WORKERS ?= 4

# The translations: each .po compiled to the .mo the bot reads (never at run time).
CATALOGS := $(patsubst %.po,%.mo,$(wildcard bot/locales/*/LC_MESSAGES/geese_bot.po))

.PHONY: demo test test-dates lint bench clean catalog

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -D geese_bot -i $< -o $@

# After changing the bot's words: the template, then each language's .po (new strings
# arrive untranslated; tests/test_i18n.py says which).
catalog: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o bot/locales/geese_bot.pot --no-location \
		--sort-output --omit-header --project geese-bot .
	$(BIN)/pybabel update -i bot/locales/geese_bot.pot -d bot/locales -D geese_bot \
		--width 100 --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

demo: $(STAMP) $(CATALOGS)
	$(BIN)/geese-bot shell

test: $(STAMP) $(CATALOGS)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo --no-cache
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# The suite with the process clock at awkward instants (DST, year end, leap day);
# needs Debian's faketime and a C compiler. DATES="2027-03-15T08:00:00Z ..." picks some.
test-dates: $(STAMP) $(CATALOGS)
	$(BIN)/python tests/dates/run.py $(foreach d,$(DATES),--at $(d)) -- -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo --no-cache

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info $(CATALOGS)
