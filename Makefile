# The two commands a reader needs: `make book` and `make test`.
# Both create (or reuse) .venv from the pinned files, then do their job.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.klbook-installed
JB_EXECUTE ?= force

.PHONY: book test test-fast bench lock clean venv

venv: $(STAMP)

$(STAMP): requirements-test.txt binder/requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Regenerate the pinned files after editing pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	PIPCOMPILE_BIN=$(BIN)/pip-compile tools/lock.sh

clean:
	rm -rf _build
