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


# The Korean edition's pages are checked in light mode: their colours are the
# English pages' (same theme and style sheets; only the words differ), and dark
# mode is checked on every English page.
PAGE_MODES = [(page, mode) for page in PAGES for mode in COLOUR_MODES
              if mode == "light" or not page.startswith("ko/")]


@pytest.mark.parametrize(("book_page", "mode"), PAGE_MODES)
def test_page_meets_wcag_2_1_aa(site_browser, axe_report, book_page, mode):
    if not (SITE_DIR / book_page).is_file():
        pytest.fail(book_page)
    view = site_browser.open(book_page, "desktop", mode)
    try:
        _check(axe_report, book_page, f"{mode} mode", axe_violations(view.page))
    finally:
        if mode != "light":  # the other browser tests use the light pages only
            site_browser.release(view)


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


# ------------------------------------------------------------------ keyboard

#: Pages whose tab order is walked: the one with the most formulas and explorers.
KEYBOARD_PAGES = ["chapters/reverse-kl.html"]
MAX_TAB_STOPS = 400

FOCUS_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== 'none';
    // The sidebar's expanders show focus on their chevron (the theme's rule).
    const toggle = el.querySelector(':scope > .toctree-toggle');
    const toggleRing = toggle && getComputedStyle(toggle).outlineStyle !== 'none';
    const box = el.getBoundingClientRect();
    const cls = String(el.className && el.className.baseVal !== undefined ? el.className.baseVal : el.className);
    return {
        what: el.tagName.toLowerCase() + (cls ? '.' + cls.trim().split(/\\s+/).slice(0, 3).join('.') : '')
              + (el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''),
        math: !!el.closest('mjx-container'),
        visible: box.width > 0 && box.height > 0,
        ring: ring || !!toggleRing,
    };
}"""


@pytest.mark.parametrize("rel", KEYBOARD_PAGES)
def test_tab_order_skips_formulas_and_every_stop_shows_focus(site_browser, rel):
    """Tab walks the controls, not the formulas (MathJax's default makes each
    one a tab stop), and each control it reaches shows a focus ring."""
    if not (SITE_DIR / rel).is_file():
        pytest.fail(rel)
    view = site_browser.open(rel, "desktop")
    page = view.page
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops, first = [], None
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_JS)
        if stop is None or stop == first:
            break
        first = first or stop
        stops.append(stop)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    assert stops, f"{rel}: Tab reaches nothing"
    formulas = [s for s in stops if s["math"]]
    assert formulas == [], f"{rel}: {len(formulas)} of {len(stops)} tab stops are formulas"
    unmarked = sorted({s["what"] for s in stops if s["visible"] and not s["ring"]})
    assert unmarked == [], f"{rel}: no visible focus on " + ", ".join(unmarked)
