# Two commands on a fresh machine: `make run` and `make test`. Both install first: `make run` the
# runtime dependencies only, `make test` the development group too (pytest, hypothesis, schemathesis ...).
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_COMPILE_BYTECODE := 1

SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus espeak-ng sox

.PHONY: install install-runtime run test lint clean system-deps fuzz

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV) system-deps
	$(UV) sync --frozen --python $(PYTHON)

# --inexact: a development install already there is left as it is (no uninstall, no reinstall)
install-runtime: $(UV) system-deps
	$(UV) sync --frozen --no-dev --inexact --python $(PYTHON)

# OCR of scanned PDF pages (Tesseract, English + Russian) and test speech (espeak-ng, sox).
# Installed with apt-get only when one is missing and we are root; otherwise a note is printed
# and the features/tests that need them degrade or skip (under CI=true those tests fail).
system-deps:
	@if command -v tesseract >/dev/null && command -v espeak-ng >/dev/null && command -v sox >/dev/null \
	    && tesseract --list-langs 2>/dev/null | grep -qx rus && tesseract --list-langs 2>/dev/null | grep -qx eng; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing $(SYSTEM_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
	  echo "note: install $(SYSTEM_PACKAGES) (Debian) for OCR and the speech tests; they are skipped without them"; \
	fi

# With ASSISTANT_TELEGRAM_TOKEN set (environment, .env or assistant.yaml) the bot polls beside the API;
# with ASSISTANT_TELEGRAM_WEBHOOK_URL too, the API serves the bot's webhook and no bot process runs.
run: install-runtime
	$(VENV)/bin/assistant db upgrade
	$(VENV)/bin/assistant bot --if-configured & bot=$$!; trap 'kill $$bot 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/assistant serve

lint: install
	$(VENV)/bin/lint-imports

test: install
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest

# Not part of `make test`: hypothesis mutates corpus files through every extractor for a few minutes
# (FUZZ_EXAMPLES mutants per document family); anything but a domain error fails it.
FUZZ_EXAMPLES ?= 2000
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest fuzz -q -p no:cacheprovider -o timeout=0 -W ignore::UserWarning

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .hypothesis .import_linter_cache
