# make serve: build the site and serve it at http://127.0.0.1:8000 (live reload on code and annotation edits)
# make test:  the whole test suite, from a fresh machine (creates .venv and node_modules first)
# make bench: speed and size figures
SHELL := /bin/bash
# pyodide-build needs Python >= 3.12; pyenv shims may name versions that are not enabled, so try each for real
PY := $(shell for p in python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null) python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
export NO_MKDOCS_2_WARNING := 1
# names.txt: ../shared/data/names.txt when it is there; otherwise microgpt downloads it once (sha256-checked)
export MICROGPT_NAMES ?= $(wildcard $(CURDIR)/../shared/data/names.txt)

.PHONY: serve build test bench clean
serve: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/mkdocs serve --strict -a 127.0.0.1:8000

# make build: the site in $(SITE_DIR) (default site/), ready for any static host (README, "Publish the site")
SITE_DIR ?= site
build: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/mkdocs build --strict --site-dir "$(SITE_DIR)"
	@echo "site: $(abspath $(SITE_DIR)) ($$(du -sh "$(SITE_DIR)" | cut -f1), $$(find "$(SITE_DIR)" -type f | wc -l) files): serve it with any static host"

test: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/python -m pytest

bench: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/python bench/train.py
	$(VENV)/bin/python bench/site.py
	$(VENV)/bin/python bench/browser_training.py
	$(VENV)/bin/python bench/pyodide_primitives.py

$(VENV)/.installed: pyproject.toml
	@test -n "$(PY)" || { echo "error: Python >= 3.12 not found (tried python3.13, python3.12, pyenv versions)"; exit 1; }
	rm -rf $(VENV)
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf $(VENV) node_modules site dist test-artifacts
