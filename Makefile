# The two commands a reader needs: `make book` and `make test`.
# Both create (or reuse) .venv from the pinned files, then do their job.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.klbook-installed
JB_EXECUTE ?= force
NODE_STAMP := node_modules/.klbook-installed

.PHONY: book test test-fast bench lock clean venv system-tools node-modules slides site-check binder-check

venv: $(STAMP)

$(STAMP): requirements-test.txt binder/requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

# JB_EXECUTE=force (default) re-runs every notebook into a fresh _build/html
# (--all, old pages removed: the tests discover pages from the build);
# `make book JB_EXECUTE=cache` reuses _build/.jupyter_cache for quick edits.
# The mode reaches the build through _ext/klbook_site.py ("auto" is refused).
book: $(STAMP) $(NODE_STAMP)
	@if [ "$(JB_EXECUTE)" = force ]; then rm -rf _build/html _build/jupyter_execute; fi
	KLBOOK_JB_EXECUTE=$(JB_EXECUTE) $(BIN)/jupyter-book build . -W -n --keep-going \
	  $(if $(filter force,$(JB_EXECUTE)),--all)
	$(MAKE) --no-print-directory slides

# The chapters as reveal.js slide decks in _build/html/slides/ (run after the
# book: its build starts from an empty _build/html). Offline: reveal.js,
# require.js, MathJax and the widget manager are copied from node_modules.
slides: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tools/build_slides.py

# Builds the book once, then: page weights and links (table printed), and
# pytest, which includes the Binder proof (tests/test_binder.py) and the
# browser tests (tests/browser/) against the fresh _build/html.
# Each stage is timed (tools/timed.py); the table is printed at the end, and
# pytest prints its own split (unit, nbval, Binder proof, browser).
TIMED := $(PYTHON) tools/timed.py
test:
	@$(TIMED) --reset
	@$(TIMED) "system tools" -- $(MAKE) --no-print-directory system-tools
	@$(TIMED) "venv" -- $(MAKE) --no-print-directory venv
	@$(TIMED) "npm packages" -- $(MAKE) --no-print-directory node-modules
	@$(TIMED) "book (site + decks)" -- $(MAKE) --no-print-directory book
	@$(TIMED) "site check" -- $(BIN)/python tools/site_check.py
	@$(TIMED) "pytest" -- $(BIN)/python -m pytest
	@$(TIMED) --table

# Chromium and npm from Debian's packages, only if missing (apt-get, as root).
system-tools:
	tools/ensure-system-tools.sh

# Pinned npm packages the site serves itself (MathJax; reveal.js and the
# widget manager for the decks) and the tests use (axe-core).
node-modules: $(NODE_STAMP)
$(NODE_STAMP): package.json package-lock.json
	$(MAKE) system-tools
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Page weights, internal links, external-link report (of an existing build).
site-check: $(STAMP)
	$(BIN)/python tools/site_check.py

# The Binder environment alone: fresh venv from binder/, every notebook run,
# then its JupyterLab opened on the intro in Chromium.
binder-check: $(STAMP) system-tools
	$(BIN)/python tools/binder_check.py --lab

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Regenerate the pinned files after editing pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	PIPCOMPILE_BIN=$(BIN)/pip-compile tools/lock.sh

clean:
	rm -rf _build
