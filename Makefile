# PyBilling — `make run` serves it, `make test` checks it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2

.PHONY: install run test lint test-sqlite test-postgresql test-mariadb bench openapi clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: install
	$(BIN)/pybilling init --create-admin
	$(BIN)/pybilling serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check pybilling tests bench
	$(BIN)/mypy pybilling

test-sqlite: install
	PYBILLING_TEST_DB=sqlite $(BIN)/pytest $(PYTEST_ARGS)

test-postgresql: install
	PYBILLING_TEST_DB=postgresql $(BIN)/pytest $(PYTEST_ARGS)

test-mariadb: install
	PYBILLING_TEST_DB=mariadb $(BIN)/pytest $(PYTEST_ARGS)

test: lint test-sqlite test-postgresql test-mariadb

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var build *.egg-info
