"""Fixtures for the real-browser tests of the built website.

The site (``_build/html``, or ``$KLBOOK_SITE_DIR``) is served on 127.0.0.1 by
a thread of the test process. Debian's Chromium (``/usr/bin/chromium``,
installed by ``tools/ensure-system-tools.sh``) is driven headless by
Playwright; nothing downloads a browser. Every request that would leave
127.0.0.1 is refused and reported: the site serves everything it needs
itself (MathJax, the explorers). Pages are discovered from the built site,
so new chapters are covered without touching the tests.

Each page is opened once per viewport (desktop 1280 px, phone 390 px) and
colour mode asked for (light, the site's default; dark, as the theme's
colour-mode button stores it) and kept open for the checks; the screenshots
are taken right after loading, into ``_build/screenshots/``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from klbook_browser import launch, missing_chromium, serve, site_pages


ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("KLBOOK_SITE_DIR", ROOT / "_build" / "html")).resolve()
SCREENSHOT_DIR = SITE_DIR.parent / "screenshots"
PHONE_WIDTH = 390
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": PHONE_WIDTH, "height": 844}, "is_mobile": True, "has_touch": True},
}
# The colour modes of pydata-sphinx-theme: its head script reads them from
# localStorage ("mode" is the choice, "theme" what is shown) before the page
# is drawn, as after a click on the colour-mode button.
COLOUR_MODES = ("light", "dark")
COLOUR_MODE_JS = "(mode) => { localStorage.setItem('mode', mode); localStorage.setItem('theme', mode); }"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
LOAD_TIMEOUT_MS = 30_000


def discover_pages(site_dir: Path = SITE_DIR) -> list[str]:
    """Site-relative paths of every HTML page of the built book."""
    return [p.relative_to(site_dir).as_posix() for p in site_pages(site_dir)]


# Slide decks (make slides) show one slide at a time, so widgets and players
# on other slides are out of sight by design; test_slides.py checks them there.
DECK_DIRS = {"slides"}


def pages_with(pattern: str, site_dir: Path = SITE_DIR) -> list[str]:
    """Book pages (not slide decks) whose HTML matches ``pattern``."""
    regex = re.compile(pattern)
    return [p for p in discover_pages(site_dir)
            if p.split("/", 1)[0] not in DECK_DIRS and regex.search((site_dir / p).read_text(errors="replace"))]


def pytest_generate_tests(metafunc):
    """Parametrize by the pages found in the built site.

    ``page`` - every page, slide decks included.
    """
    selectors = {
        "page": None,
    }
    for name, pattern in selectors.items():
        if name in metafunc.fixturenames:
            pages = discover_pages() if pattern is None else pages_with(pattern)
            if name == "page" and not pages:
                # Fail (not skip) when the site is missing: run `make book` first.
                pages = [f"<no pages under {SITE_DIR}: run `make book` first>"]
            metafunc.parametrize(name, pages)


@dataclass
class PageView:
    """One page, loaded in one viewport and kept open for the checks."""

    rel: str
    viewport: str
    page: object
    url: str
    site_dir: Path
    base_url: str
    mode: str = "light"
    problems: list[str] = field(default_factory=list)  # console errors, failed or refused requests
    screenshot: Path | None = None

    @property
    def html(self) -> str:
        return (self.site_dir / self.rel).read_text(encoding="utf-8", errors="replace")


class SiteBrowser:
    """Opens the pages of one served site, per viewport; nothing may leave the machine."""

    def __init__(self, browser, base_url: str, site_dir: Path, screenshot_dir: Path,
                 settle_timeout_ms: int = LOAD_TIMEOUT_MS):
        self.base_url, self.site_dir = base_url, site_dir
        self.screenshot_dir = screenshot_dir
        self.settle_timeout_ms = settle_timeout_ms
        self.contexts = {}
        self.views: dict[tuple[str, str, str], PageView] = {}
        self._browser = browser

    def _context(self, viewport: str, mode: str = "light"):
        if mode not in COLOUR_MODES:
            raise ValueError(f"`mode` must be one of {COLOUR_MODES}, got {mode!r}")
        if (viewport, mode) not in self.contexts:
            context = self._browser.new_context(
                **VIEWPORTS[viewport], device_scale_factor=1, service_workers="block", color_scheme=mode
            )
            context.set_default_timeout(LOAD_TIMEOUT_MS)
            if mode != "light":
                context.add_init_script(f"({COLOUR_MODE_JS})({mode!r})")
            self.contexts[(viewport, mode)] = context
        return self.contexts[(viewport, mode)]

    def new_page(self, viewport: str = "desktop", mode: str = "light"):
        """A blank page of the `viewport` and colour `mode`, for a URL that ``open``
        does not take (e.g. with a query); requests outside the site are refused
        and listed in the returned problems. The caller closes the page."""
        page = self._context(viewport, mode).new_page()
        problems: list[str] = []
        refuse_external(page, self.base_url, problems)
        return page, problems

    def release(self, view: PageView) -> None:
        """Close a view no other check will use (frees the browser's memory)."""
        self.views.pop((view.rel, view.viewport, view.mode), None)
        view.page.close()

    def _route(self, view: PageView):
        refuse_external(view.page, self.base_url, view.problems)

    def open(self, rel: str, viewport: str, mode: str = "light") -> PageView:
        """The page ``rel`` loaded and settled at ``viewport`` in colour ``mode``
        (opened once, then reused)."""
        key = (rel, viewport, mode)
        if key in self.views:
            return self.views[key]
        page = self._context(viewport, mode).new_page()
        view = PageView(rel=rel, viewport=viewport, page=page, url=self.base_url + rel,
                        site_dir=self.site_dir, base_url=self.base_url, mode=mode)
        self.views[key] = view

        def on_console(msg):
            if msg.type == "error":
                where = msg.location or {}
                view.problems.append(
                    f"console error: {msg.text} ({where.get('url', '')}:{where.get('lineNumber', '')})"
                )

        page.on("console", on_console)
        page.on("pageerror", lambda err: view.problems.append(f"uncaught exception: {err}"))
        page.on("requestfailed", lambda req: view.problems.append(f"request failed: {req.url} ({req.failure})"))
        page.on("response", lambda resp: resp.status >= 400 and view.problems.append(
            f"HTTP {resp.status}: {resp.url}"))
        self._route(view)
        response = page.goto(view.url, wait_until="load")
        if response is None or not response.ok:
            view.problems.append(f"page load: HTTP {response.status if response else 'no response'}")
        wait_until_settled(page, WIDGET_STATE_MIME in view.html, self.settle_timeout_ms)
        self.screenshot_dir.mkdir(parents=True, exist_ok=True)
        name = rel.replace("/", "__").removesuffix(".html")
        suffix = "" if mode == "light" else f"-{mode}"
        view.screenshot = self.screenshot_dir / f"{name}-{viewport}{suffix}.png"
        page.screenshot(path=str(view.screenshot), full_page=True)
        return view

    def close(self):
        for context in self.contexts.values():
            context.close()
        self.contexts.clear()


def refuse_external(page, base_url: str, problems: list[str]) -> None:
    """Abort every request of `page` outside `base_url` (127.0.0.1), recording it in `problems`.

    data: and blob: URLs never reach the router; about:blank is local too.
    """
    def external(route):
        problems.append(f"request left the machine (refused): {route.request.url}")
        route.abort("blockedbyclient")

    page.route(lambda url: not url.startswith(base_url), external)


def _is_html_url(url: str) -> bool:
    path = url.split("#", 1)[0].split("?", 1)[0]
    return path.endswith(".html") or path.endswith("/")


SETTLED_JS = """(hasWidgets) => {
    if (document.readyState !== 'complete') return false;
    if (document.querySelector('script[src*="mathjax"]')) {
        const mj = window.MathJax;
        if (!(mj && mj.startup && mj.startup.promise)) return false;
    }
    if (hasWidgets) {
        // The manager inserts one .widget-subarea per view, then renders into it.
        const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
        const areas = document.querySelectorAll('.widget-subarea');
        if (areas.length < views.length) return false;
        for (const area of areas) if (!area.firstElementChild) return false;
    }
    return true;
}"""


def wait_until_settled(page, has_widgets: bool, timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
    """Wait for MathJax's first typeset, the widget views, fonts and images.

    A page whose widgets never render times out here with a clear message
    instead of failing later on an empty page.
    """
    try:
        page.wait_for_function(SETTLED_JS, arg=has_widgets, timeout=timeout_ms)
    except Exception as err:  # playwright's TimeoutError; the checks report what is missing
        page.evaluate("(msg) => console.warn(msg)", f"klbook tests: page did not settle: {err}")
    page.evaluate(
        """async () => {
            if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
            await document.fonts.ready;
            await Promise.all(Array.from(document.images).map(img => img.complete ? null :
                new Promise(done => { img.addEventListener('load', done); img.addEventListener('error', done); })));
        }"""
    )


@pytest.fixture(scope="session")
def browser():
    if missing_chromium():
        pytest.fail(missing_chromium())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright.chromium)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def site_browser(browser):
    """The built book, served and opened in Chromium (the root conftest.py clears old screenshots)."""
    if not SITE_DIR.is_dir():
        pytest.fail(f"{SITE_DIR} does not exist: run `make book` first")
    with serve(SITE_DIR) as base_url:
        opener = SiteBrowser(browser, base_url, SITE_DIR, SCREENSHOT_DIR)
        try:
            yield opener
        finally:
            opener.close()
