"""How klbook drives a browser, defined once: Debian's Chromium and its flags,
which files of a built site are pages, and the site served on 127.0.0.1.

Used by tools/binder_check.py, tools/build_pdf.py, tools/site_check.py, the
browser tests (tests/browser/conftest.py; pytest's ``pythonpath`` includes
tools/) and benchmarks/bench_explorers.py.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from contextlib import contextmanager
from pathlib import Path

# Debian's Chromium (tools/ensure-system-tools.sh installs it); never a
# downloaded browser. KLBOOK_CHROMIUM points elsewhere if needed.
CHROMIUM = os.environ.get("KLBOOK_CHROMIUM", "/usr/bin/chromium")
# Headless, no sandbox (root in a container), nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
# Folders of a build that hold assets, not pages.
NON_PAGE_DIRS = {"_static", "_sources", "_images", "_sphinx_design_static", "reports"}


def missing_chromium() -> str | None:
    """A message if the browser is not installed, else None."""
    if Path(CHROMIUM).exists():
        return None
    return f"{CHROMIUM} is missing: run tools/ensure-system-tools.sh (make test does)"


def launch(browser_type, **options):
    """``browser_type.launch`` (Playwright's ``playwright.chromium``, sync or
    async API) with klbook's Chromium and flags, headless."""
    return browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, **options)


def site_pages(html_dir: Path) -> list[Path]:
    """Every HTML page of a built site (asset folders excluded), sorted."""
    html_dir = Path(html_dir)
    if not html_dir.is_dir():
        return []
    return sorted(p for p in html_dir.rglob("*.html")
                  if not NON_PAGE_DIRS.intersection(p.relative_to(html_dir).parts))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler that does not print every request."""

    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 from a thread; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
