"""Every page of the built book, as a reader's browser shows it.

Pages are discovered from ``_build/html`` (see conftest.py), so chapters added
later are covered without editing this file. Each page is loaded once at
desktop width (1280 px) and once at phone width (390 px); screenshots of both
are in ``_build/screenshots/``. The checks are in checks.py.
"""

from __future__ import annotations

import pytest

from . import checks
from .conftest import PHONE_WIDTH, SITE_DIR

pytestmark = pytest.mark.browser


def _open(site_browser, page, viewport="desktop"):
    if not (SITE_DIR / page).is_file():
        pytest.fail(page)
    return site_browser.open(page, viewport)


def _report(view, problems):
    return f"{view.rel} ({view.viewport}, screenshot {view.screenshot}):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_page_loads_without_console_errors(site_browser, page, viewport):
    """The page loads, logs no JavaScript error and requests nothing that fails."""
    view = _open(site_browser, page, viewport)
    problems = checks.console_problems(view)
    assert problems == [], _report(view, problems)


def test_internal_links_and_images_resolve(site_browser, page):
    view = _open(site_browser, page)
    problems = checks.link_problems(view)
    assert problems == [], _report(view, problems)


def test_math_is_typeset(site_browser, page):
    view = _open(site_browser, page)
    problems = checks.math_problems(view)
    assert problems == [], _report(view, problems)


def test_figures_are_visible_and_described(site_browser, page):
    view = _open(site_browser, page)
    problems = checks.image_problems(view)
    assert problems == [], _report(view, problems)


def test_every_control_responds(site_browser, page):
    """Every control in the content changes its figure or numbers, with no kernel and no network."""
    view = _open(site_browser, page)
    problems = checks.control_problems(view) + checks.console_problems(view)
    assert problems == [], _report(view, problems)


def test_nothing_overflows_at_phone_width(site_browser, page):
    view = _open(site_browser, page, "phone")
    problems = checks.overflow_problems(view, PHONE_WIDTH)
    assert problems == [], _report(view, problems)


def test_figures_fit_the_screen_at_phone_width(site_browser, page):
    view = _open(site_browser, page, "phone")
    problems = checks.image_fit_problems(view, PHONE_WIDTH)
    assert problems == [], _report(view, problems)


def test_screenshots_written(site_browser, page):
    """A person can look at every page at both widths in _build/screenshots/."""
    for viewport in ("desktop", "phone"):
        shot = _open(site_browser, page, viewport).screenshot
        assert shot is not None and shot.is_file() and shot.stat().st_size > 1000, shot
