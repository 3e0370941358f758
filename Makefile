# scamtrail — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
KEEP_SERVICES ?=

.PHONY: install demo test test-unit test-browser console-screenshots lint format bench bench-memory train eval services services-down services-status clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 18

install: $(STAMP)  ## create .venv and install scamtrail (editable) with the dev extras

# Quiet: one line while installing, then nothing but errors. setuptools always tells, as a warning,
# that an editable install maps the package with a meta path finder; that notice is silenced.
QUIET_EDITABLE := PYTHONWARNINGS="ignore:Editable installation:UserWarning"

$(STAMP): pyproject.toml
	@echo "installing scamtrail and its dev tools into $(VENV) (a minute the first time)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(QUIET_EDITABLE) $(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: install  ## replay the bundled sample through the embedded pipeline and print a report
	@$(BIN)/scamtrail --log-format text --log-level ERROR demo

test: install  ## the whole suite; starts the services it needs and stops them after (KEEP_SERVICES=1 keeps them)
	KEEP_SERVICES=$(KEEP_SERVICES) $(BIN)/python -m pytest $(PYTEST_ARGS)

test-unit: install  ## the tests that need no service (and no browser)
	$(BIN)/python -m pytest -m "not kafka and not opensearch and not elasticsearch and not browser" $(PYTEST_ARGS)

test-browser: install  ## the console in Debian's headless chromium (apt-get install chromium fonts-noto-core)
	$(BIN)/python -m pytest -m browser tests/console $(PYTEST_ARGS)

console-screenshots: install  ## refresh the console's screenshots in docs/console/ from the browser tests
	SCAMTRAIL_CONSOLE_SHOTS=docs/console $(BIN)/python -m pytest -m browser tests/console/test_browser.py $(PYTEST_ARGS)

lint: install  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check scamtrail ingest extract/*.py index tests

format: install  ## apply ruff's formatter
	$(BIN)/ruff format scamtrail ingest extract/*.py index tests

bench: install  ## throughput and memory benchmarks, each beside a naive implementation
	$(BIN)/python -m scamtrail.bench $(BENCH_ARGS)

bench-memory: install  ## peak RSS of the embedded pipeline at 100,000 and 1,000,000 complaints (about 25 min)
	$(BIN)/python -m scamtrail.bench --memory 100000,1000000 $(BENCH_ARGS)

train: install  ## retrain the classifier into extract/model from extract/corpus
	$(BIN)/scamtrail train

eval: install  ## evaluate the shipped model on the corpus test split
	$(BIN)/scamtrail eval extract/corpus/test.jsonl

services:  ## start Kafka, OpenSearch and Elasticsearch from Maven Central jars (deploy/local)
	bash deploy/local/services.sh start

services-down:  ## stop them
	bash deploy/local/services.sh stop

services-status:
	bash deploy/local/services.sh status

clean:  ## remove the venv, caches and service data
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .services build *.egg-info
