# Two commands on a fresh machine: `make run` and `make test`. Both install everything first.
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_COMPILE_BYTECODE := 1

.PHONY: install run test lint clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --python $(PYTHON)

run: install
	$(VENV)/bin/assistant db upgrade
	$(VENV)/bin/assistant serve

lint: install
	$(VENV)/bin/lint-imports

test: install
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .hypothesis .import_linter_cache
