# Opslagstavlen: the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := all
.PHONY: all install install-dev run test lint fmt i18n-extract i18n-update i18n-compile thesaurus lexicon docker clean

# Run the tests and the linters.
all: test lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --editable .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --editable '.[dev]'
	touch $@

# Create the virtual environment and install the app.
install: $(VENV)/.installed

# Install the app with the test and lint tools.
install-dev: $(VENV)/.installed-dev

# Prepare an SQLite database with the demo catalogue, then serve on http://$(HOST):$(PORT).
run: install
	OPSLAGSTAVLE_DEMO=1 $(BIN)/opslagstavle serve --host $(HOST) --port $(PORT)

# Run the whole test suite.
test: install-dev
	$(BIN)/pytest

# Check style, formatting, types, the import layers (pyproject.toml) and dead code.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app
	$(BIN)/lint-imports
	$(BIN)/vulture app --min-confidence 80

# Format the code and fix what ruff can fix.
fmt: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Collect the UI strings from code and templates into locales/messages.pot.
i18n-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k CellError:2 -k RuleError:2 -k FieldError:2 -k AccountError -k ReportError:2 -k Problem:2 --no-location --omit-header -o locales/messages.pot .

# Merge new strings into every language's catalogue.
i18n-update: i18n-extract
	$(BIN)/pybabel update -i locales/messages.pot -d locales --no-fuzzy-matching --ignore-obsolete --width 100

# Check that every catalogue compiles (the app compiles them in memory at start).
i18n-compile: install
	$(BIN)/pybabel compile -d locales --statistics

# Derive catalogue/thesaurus.tsv from the Danish LibreOffice thesaurus (needs the Debian
# package mythes-da); commit the result. See catalogue/README.md.
thesaurus: install
	$(BIN)/python scripts/build_thesaurus.py

# Derive app/search/lexicon/ambiguous.tsv.gz from the Danish Hunspell dictionary (needs the
# Debian packages hunspell-da and hunspell-tools); commit the result.
lexicon: install
	$(BIN)/python scripts/build_lexicon.py

# Build the container image (needs a Docker engine).
docker:
	docker build -t opslagstavle .

# Remove the virtual environment and the local data.
clean:
	rm -rf $(VENV) data
