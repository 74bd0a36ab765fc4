"""WCAG 2.1 A and AA checks of every built page and slide deck, with axe-core.

axe-core is the pinned npm package (``package.json``; ``make node-modules``):
its ``axe.min.js`` is injected into each page as the reader's browser shows
it (conftest.py serves the site on 127.0.0.1 and refuses every other
request) and runs the rules tagged WCAG 2.0/2.1 level A and AA, once per
page and view:

* a book page in light mode (the site's default) and in dark mode (as the
  theme's colour-mode button stores it);
* a slide deck (one colour scheme, reveal.js's white theme) as presented, with
  its controls, progress bar and slide number (axe sees only the slide on
  screen: the others are hidden), and in reveal.js's print layout
  (``?print-pdf``), where every slide is laid out at once. That layout keeps
  reveal.js's ``hidden`` attribute on the vertical stacks it shows, so the
  rule about focusable content inside hidden content is left to the
  presented view.

Each violation is listed with its rule, impact, the CSS selectors of the
elements at fault and the page; the element counts per rule and view are
also written to ``_build/axe-report.json``.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from .conftest import COLOUR_MODES, DECK_DIRS, ROOT, SITE_DIR, discover_pages

pytestmark = pytest.mark.browser

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
REPORT = SITE_DIR.parent / "axe-report.json"
DECK_VIEWS = {"presented": ("", []), "print layout": ("?print-pdf", ["aria-hidden-focus"])}

PAGES = [p for p in discover_pages() if p.split("/", 1)[0] not in DECK_DIRS] or [
    f"<no pages under {SITE_DIR}: run `make book` first>"]
DECKS = [p for p in discover_pages() if p.split("/", 1)[0] in DECK_DIRS] or [
    f"<no decks under {SITE_DIR}: run `make slides` first>"]

RUN_AXE_JS = """async ([tags, skip]) => {
    const rules = Object.fromEntries(skip.map(id => [id, {enabled: false}]));
    const results = await axe.run(document, {
        runOnly: {type: 'tag', values: tags}, rules, resultTypes: ['violations']});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(' ')),
    }));
}"""


@pytest.fixture(scope="module")
def axe_report():
    """Every page's violations, written to _build/axe-report.json at the end of the module."""
    found = {}
    yield found
    counts = {}
    for (_, view), violations in found.items():
        counter = counts.setdefault(view, Counter())
        for v in violations:
            counter[v["id"]] += len(v["nodes"])
    REPORT.write_text(json.dumps({
        "tags": WCAG_TAGS,
        "pages_checked": {view: sum(1 for _, v in found if v == view) for view in counts},
        "elements_per_rule": {view: dict(sorted(c.items())) for view, c in counts.items()},
        "violations": {f"{page} ({view})": v for (page, view), v in sorted(found.items()) if v},
    }, indent=1), encoding="utf-8")


def axe_violations(page, skip=()) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of a loaded Playwright page."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run `make node-modules` (npm ci)")
    if not page.evaluate("!!window.axe"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN_AXE_JS, [WCAG_TAGS, list(skip)])


def _check(report, rel, view, violations):
    report[(rel, view)] = violations
    lines = [f"{v['id']} ({v['impact']}): {v['help']}\n      " + "\n      ".join(v["nodes"]) for v in violations]
    assert violations == [], (f"{rel} ({view}), {sum(len(v['nodes']) for v in violations)} elements:\n  "
                              + "\n  ".join(lines))


@pytest.mark.parametrize("mode", COLOUR_MODES)
@pytest.mark.parametrize("book_page", PAGES)
def test_page_meets_wcag_2_1_aa(site_browser, axe_report, book_page, mode):
    if not (SITE_DIR / book_page).is_file():
        pytest.fail(book_page)
    view = site_browser.open(book_page, "desktop", mode)
    _check(axe_report, book_page, f"{mode} mode", axe_violations(view.page))


@pytest.mark.parametrize("deck_view", DECK_VIEWS)
@pytest.mark.parametrize("deck", DECKS)
def test_deck_meets_wcag_2_1_aa(site_browser, axe_report, deck, deck_view):
    if not (SITE_DIR / deck).is_file():
        pytest.fail(deck)
    query, skip = DECK_VIEWS[deck_view]
    if not query:
        page = site_browser.open(deck, "desktop").page  # the page test_browser_pages.py opened
    else:
        page, problems = site_browser.new_page("desktop")
        page.goto(site_browser.base_url + deck + query, wait_until="load")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    page.evaluate("async () => { await MathJax.startup.promise; await document.fonts.ready; }")
    try:
        _check(axe_report, deck, deck_view, axe_violations(page, skip))
    finally:
        if query:
            page.close()
    if query:
        assert problems == [], f"{deck}{query}: " + "; ".join(problems)
