# The two commands a reader needs: `make book` (site, slide decks, book PDF) and `make test`.
# Both create (or reuse) .venv from the pinned files, then do their job.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.klbook-installed
JB_EXECUTE ?= force
NODE_STAMP := node_modules/.klbook-installed

.PHONY: book book-ko i18n-pot i18n-update i18n-check test test-fast bench lock clean venv system-tools node-modules slides pdf site-check binder-check binder-env

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
# The decks' lecture runs (tools/build_slides.py --execute-only, into
# _build/lecture) go beside the book build: one kernel each, on two cores.
# `force` empties the jupyter-cache and builds in cache mode, so every notebook
# runs once, fresh, and the Korean edition (make book-ko) reads the same run.
book: $(STAMP) $(NODE_STAMP)
	@if [ "$(JB_EXECUTE)" = force ]; then rm -rf _build/html _build/jupyter_execute _build/lecture _build/.jupyter_cache; fi
	@mkdir -p _build
	@$(BIN)/python tools/build_slides.py --execute-only > _build/lecture-runs.log 2>&1 & lecture=$$!; \
	KLBOOK_FIGURE_LANGS=ko KLBOOK_JB_EXECUTE=$(if $(filter force,$(JB_EXECUTE)),cache,$(JB_EXECUTE)) $(BIN)/jupyter-book build . -W -n --keep-going \
	  $(if $(filter force,$(JB_EXECUTE)),--all); book=$$?; \
	wait $$lecture; runs=$$?; \
	if [ $$runs -ne 0 ]; then cat _build/lecture-runs.log; echo "lecture runs failed"; fi; \
	[ $$book -eq 0 ] && [ $$runs -eq 0 ]
	$(MAKE) --no-print-directory book-ko
	$(MAKE) --no-print-directory slides
	$(MAKE) --no-print-directory pdf

# The Korean edition (issue 14), from the message catalogs in locales/ko/ and the
# English run's jupyter-cache (no notebook runs again): _build/html/ko/.
# i18n-pot: the English pages' messages (no execution: seconds), _build/i18n/_build/gettext;
# i18n-update: merges them into locales/ko (new messages empty, changed ones fuzzy);
# i18n-check: fails on a missing, untranslated, fuzzy or number-changing translation.
POT_DIR := _build/i18n/_build/gettext
i18n-pot: $(STAMP)
	@rm -rf $(POT_DIR)
	@KLBOOK_JB_EXECUTE=off $(BIN)/jupyter-book build . --all --builder custom --custom-builder gettext \
	  --path-output _build/i18n > _build/i18n-pot.log 2>&1 || (cat _build/i18n-pot.log; exit 1)

i18n-update: i18n-pot
	$(BIN)/sphinx-intl update -p $(POT_DIR) -l ko -d locales -w 0

i18n-check: i18n-pot
	$(BIN)/python tools/check_translations.py $(POT_DIR) locales ko

book-ko: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tools/build_edition.py ko

# The chapters as reveal.js slide decks in _build/html/slides/ (run after the
# book: its build starts from an empty _build/html). Offline: reveal.js,
# require.js, MathJax and the widget manager are copied from node_modules.
slides: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tools/build_slides.py

# The whole book as one PDF, _build/html/klbook.pdf (the intro links it; so does the
# Korean edition's intro: the PDF is English): Chromium
# prints the built pages, pypdf joins them (tools/build_pdf.py). Run after the book.
pdf: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tools/build_pdf.py

# The Binder proof, split so that no notebook runs twice: the environment is
# made from binder/ alone in $(BINDER_ENV) (its kernel installed as the
# kernelspec $(BINDER_KERNEL)) and its JupyterLab and RISE are driven in
# Chromium; then nbval runs every notebook in that kernel, and
# tests/test_binder.py reads this log and checks the kernel nbval used.
BINDER_ENV    := _build/binder-env
BINDER_KERNEL := klbook-binder
BINDER_LOG    := _build/binder-check.log
binder-env: $(STAMP) system-tools
	@$(BIN)/python tools/binder_check.py --lab --no-notebooks --env-dir $(BINDER_ENV) \
	  --kernel-name $(BINDER_KERNEL) > $(BINDER_LOG) 2>&1; echo $$? > $(BINDER_LOG).rc; \
	  grep '^\[binder-check\]' $(BINDER_LOG) || true

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
	@$(TIMED) "translations (ko)" -- $(MAKE) --no-print-directory i18n-check
	@$(TIMED) "Binder env + JupyterLab" -- $(MAKE) --no-print-directory binder-env
	@$(TIMED) "pytest (2 workers)" -- env KLBOOK_BINDER_LOG=$(BINDER_LOG) KLBOOK_BINDER_KERNEL=$(BINDER_KERNEL) \
	  JUPYTER_PATH=$(CURDIR)/$(BINDER_ENV)/share/jupyter \
	  $(BIN)/python -m pytest -n 2 --dist loadfile --nbval-kernel-name $(BINDER_KERNEL)
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
