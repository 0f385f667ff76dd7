# REX: `make run` starts the whole stack on the embedded default; `make test` runs the suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint install clean-var native

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# The PII detector compiled by mypyc (~20 s the first time; a no-op while agents/pii/ does not change).
native: $(STAMP)
	$(BIN)/python scripts/build_pii.py

install: $(STAMP) native

run: $(STAMP) native
	$(BIN)/python manage.py rex up

test: $(STAMP) native
	sh scripts/ensure_browser.sh
	sh scripts/ensure_dovecot.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP) native
	$(BIN)/python bench/run.py
	$(BIN)/python bench/http_throughput.py
	$(BIN)/python bench/pii.py
	$(BIN)/python bench/warmup.py
	$(BIN)/python bench/sequencer.py
	$(BIN)/python bench/triage.py
	$(BIN)/python bench/anomaly.py
	$(BIN)/python bench/analytics.py

lint: $(STAMP)
	$(BIN)/ruff check .

clean-var:
	rm -rf var
