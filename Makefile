# Plansvar: the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MODEL_DIR := models/multilingual-e5-small
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup run test lint index model browser bench bench-formats libreoffice eval eval-test clean

setup: $(VENV)/.installed $(MODEL_DIR)/.built index

# pip install from the lock file; torch==2.13.0 keeps pip on the CPU wheel.
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(MODEL_DIR)/.built: $(VENV)/.installed index/e5_convert.py
	$(PY) -m index.e5_convert $(MODEL_DIR)
	touch $@

model: $(MODEL_DIR)/.built

# Builds var/index from corpus/documents; a no-op when the corpus, model and chunker are unchanged.
index: $(VENV)/.installed $(MODEL_DIR)/.built
	$(PY) -m assistant ingest

run: setup
	$(PY) -m assistant serve

# Debian's chromium for the browser tests (Playwright drives the system browser).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

test: setup browser lint
	$(PY) -m pytest

bench: setup
	$(PY) scripts/bench_ingest.py
	$(PY) scripts/bench_ask.py

# LibreOffice (headless) renders the DOCX of the format benchmark to PDF.
libreoffice:
	@command -v soffice >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui >/dev/null; }

# Text vs DOCX vs PDF: parse parity and the dev set on each format's index (evals/runs/formats).
bench-formats: setup libreoffice
	$(PY) scripts/bench_formats.py

# The dev set with both baselines side by side; prints the overall table (full report in evals/runs/dev).
eval: setup
	$(PY) -m evals run evals/questions/dev.jsonl --out evals/runs/dev --baseline --quiet
	@sed -n '/^## Overall/,/^!\[/p' evals/runs/dev/report.md | sed '$$d'

# The held-out set: report only, never tune on it.
eval-test: setup
	$(PY) -m evals run evals/questions/test.jsonl --out evals/runs/test --baseline --quiet
	@sed -n '/^## Overall/,/^!\[/p' evals/runs/test/report.md | sed '$$d'

clean:
	rm -rf var models $(VENV)
