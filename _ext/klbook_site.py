"""Sphinx extension local to the klbook website (loaded from ``_config.yml``).

It does three things:

* adds ``_ext/static`` to the static files, for ``klbook-widgets.js`` (see
  that file and ``nb_ipywidgets_js`` in ``_config.yml``: it fixes the widget
  manager's font URLs and its MathJax 2 call on the page's MathJax 3);
* lets ``make book JB_EXECUTE=...`` choose the notebook execution mode
  (environment variable ``KLBOOK_JB_EXECUTE``; ``_config.yml`` says ``force``).
  ``auto`` is refused: it keeps stored outputs that carry no widget state,
  which gives blank widgets on the page while the build still succeeds;
* removes duplicated inline scripts, as explained below.

Sphinx 7.4 puts an inline ``<script>`` that an extension registers after the
builder has started on each page twice: once from the builder's own list
(``filename=None``) and once re-added from the registry (``filename=''``), so
the two copies do not compare equal and survive Sphinx's own de-duplication.
sphinx-thebe's inline script declares ``const THEBE_JS_URL``; the second copy
throws "Identifier 'THEBE_JS_URL' has already been declared" in every reader's
console. This extension drops the exact duplicates from each page, keeping the
first copy, so launch and live-code buttons stay and the console stays clean.
"""

from __future__ import annotations

import os
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
EXECUTION_MODES = ("force", "cache", "off")


def _script_key(script):
    filename = getattr(script, "filename", script) or ""
    attributes = getattr(script, "attributes", {}) or {}
    priority = getattr(script, "priority", 500)
    return (filename, priority, tuple(sorted((k, str(v)) for k, v in attributes.items())))


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def _add_static_path(app, config):
    if str(STATIC_DIR) not in config.html_static_path:
        config.html_static_path.append(str(STATIC_DIR))


def _execution_mode(app, config):
    mode = os.environ.get("KLBOOK_JB_EXECUTE", "").strip()
    if mode:
        if mode not in EXECUTION_MODES:
            raise ValueError(
                f"`KLBOOK_JB_EXECUTE` (make book JB_EXECUTE=...) must be one of "
                f"{', '.join(EXECUTION_MODES)}, got {mode!r}"
            )
        config.nb_execution_mode = mode
    elif config.nb_execution_mode == "auto":
        raise ValueError(
            "`execute_notebooks: auto` in _config.yml leaves blank widgets on the pages; "
            "use force (or cache locally)"
        )


def setup(app):
    app.connect("config-inited", _add_static_path)
    app.connect("config-inited", _execution_mode)
    # Late priority: after the extensions that add page-specific scripts.
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
