# One source of truth for what developers and CI run.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help setup neo4j up stop test test-unit test-integration lint lint-types bench schema audit clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet -e '.[dev,kgx]'
	touch $(STAMP)

setup: $(STAMP)  ## create .venv, install PharmaKG, fetch the Neo4j jars, the GraphiQL/Swagger UI assets (npm) and the test tools (OWL API, Apache Jena)
	$(BIN)/python -c "from api.settings import Settings; from graph.server import fetch_jars; print(fetch_jars(Settings().neo4j_home))"
	$(BIN)/python -m api.assets
	$(BIN)/python -m tests.jars

neo4j: setup  ## start the local Neo4j (Bolt 7687, Browser http://127.0.0.1:7474/browser/)
	$(BIN)/pharmakg neo4j start

up: setup  ## Neo4j up, the curated data loaded (PHARMAKG_RELEASE=DIR: a release restored), the API served
	$(BIN)/pharmakg up

stop:  ## stop the local Neo4j
	$(BIN)/pharmakg neo4j stop

test: setup  ## the whole suite against a real Neo4j (started on free ports if needed)
	$(BIN)/pytest -q

test-unit: setup  ## unit tests only (no Neo4j)
	$(BIN)/pytest -q tests/unit

test-integration: setup  ## integration tests only (a real Neo4j)
	$(BIN)/pytest -q tests/integration

lint: setup lint-types  ## ruff, ruff format, mypy strict and the layer contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

lint-types: setup  ## mypy strict (the tests too)
	$(BIN)/mypy ontology loaders graph api browser benchmarks docs/gen_pharmacology.py tests

bench: setup  ## the benchmarks under benchmarks/ (figures into docs/performance.md)
	$(BIN)/python -m benchmarks

schema: setup  ## regenerate schema.graphql from the code (a test fails when it drifts)
	$(BIN)/python -m api.graphql.export_schema

audit: setup  ## dependency audit with pip-audit (needs PyPI's vulnerability data: network)
	$(BIN)/pip-audit --skip-editable --strict --progress-spinner off

clean:  ## remove the venv and caches (keeps .neo4j data)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
