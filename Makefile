# The two commands: `make run` (the product with the demo district) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo worker web clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	SHOUHU_DEMO=1 ./bin/run-demo $(HOST) $(PORT)

test: install
	SHOUHU_TESTING=1 $(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf var/ .pytest_cache
