"""The lecture slide decks (``make slides``) in a real browser, with no network.

Each chapter of ``_toc.yml`` has a deck in ``_build/html/slides/``. A deck is
opened from the site server with every request outside the site refused (not
routed to local copies, unlike the book's pages): a deck must work offline.
It must initialise reveal.js, log no error, typeset its math, show each app
as a kernel-free explorer whose every control responds, carry the notebook's speaker notes, fit every slide on the
screen, and advance when the presenter presses the right arrow key.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

from .conftest import LOAD_TIMEOUT_MS, ROOT, SITE_DIR, serve

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location("build_slides", ROOT / "tools" / "build_slides.py")
build_slides = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_slides)

SLIDES = SITE_DIR / build_slides.SLIDES_DIR
CHAPTERS = {p.stem: p for p in build_slides.toc_chapters(ROOT)}


def has_slide_metadata(notebook: Path) -> bool:
    nb = nbformat.read(notebook, as_version=4)
    return any(c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells)


def test_every_chapter_has_a_deck():
    decks = sorted(p.stem for p in SLIDES.glob("*.html"))
    assert decks == sorted(CHAPTERS), f"decks in {SLIDES}: {decks}; run `make slides`"


@pytest.fixture(scope="module")
def offline_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    context.set_default_timeout(LOAD_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture(scope="module")
def site_url():
    if not SLIDES.is_dir():
        pytest.fail(f"{SLIDES} does not exist: run `make slides` (after `make book`)")
    with serve(SITE_DIR) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def open_deck(offline_context, site_url):
    base_url = site_url
    opened = {}

    def open_(name):
        if name in opened:
            return opened[name]
        page = offline_context.new_page()
        problems = []
        page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"uncaught exception: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))

        def refuse(route):
            problems.append(f"external request: {route.request.url}")
            route.abort("blockedbyclient")

        page.route(lambda url: not url.startswith(base_url), refuse)
        page.goto(f"{base_url}{build_slides.SLIDES_DIR}/{name}.html", wait_until="load")
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        page.evaluate("async () => { await MathJax.startup.promise; await document.fonts.ready; }")
        opened[name] = (page, problems)
        return opened[name]

    return open_


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_deck_opens_offline_without_errors(open_deck, name):
    page, problems = open_deck(name)
    assert page.evaluate("Reveal.getTotalSlides()") >= 1
    assert page.evaluate("!!Reveal.getPlugin('notes')"), "speaker-notes plugin missing"
    assert problems == [], f"{name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_deck_math_is_typeset(open_deck, name):
    page, _ = open_deck(name)
    found = page.evaluate("""() => ({
        containers: document.querySelectorAll('mjx-container').length,
        errors: Array.from(document.querySelectorAll('mjx-merror')).map(e => e.textContent),
        raw: Array.from(document.querySelectorAll('.jp-RenderedMarkdown'))
                  .map(e => e.innerText).filter(t => /\\$\\$|\\\\\\(|\\\\\\[/.test(t)).length,
    })""")
    source_has_math = "$" in "".join(
        c.source for c in nbformat.read(CHAPTERS[name], as_version=4).cells if c.cell_type == "markdown"
    )
    assert found["errors"] == [] and found["raw"] == 0, found
    assert found["containers"] > 0 or not source_has_math, found


def explorer_outputs(notebook: Path) -> int:
    nb = nbformat.read(notebook, as_version=4)
    return sum(build_slides.EXPLORER_MARK in o.get("data", {}).get("text/html", "")
               for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_deck_explorers_respond_on_their_slides(open_deck, name):
    """Each app is on its slide as a kernel-free explorer: drawn, on screen, and
    every one of its controls changes the figure or the numbers."""
    expected = explorer_outputs(CHAPTERS[name])
    if not expected:
        pytest.skip(f"{name} shows no app")
    page, problems = open_deck(name)
    count = page.evaluate("document.querySelectorAll('.klbook-explorer').length")
    assert count == expected, f"{name}: {count} explorers in the deck for {expected} app outputs"
    assert page.evaluate("document.querySelectorAll('.jupyter-widgets').length") == 0
    dead = []
    for k in range(count):
        page.evaluate("""(k) => {
            Reveal.configure({transition: 'none'});
            const root = document.querySelectorAll('.klbook-explorer')[k];
            const slide = root.closest('section');
            const at = Reveal.getIndices(slide);
            Reveal.slide(at.h, at.v);
        }""", k)
        page.wait_for_function("(k) => document.querySelectorAll('.klbook-explorer')[k].dataset.ready === 'yes'",
                               arg=k)
        page.wait_for_timeout(100)
        box = page.evaluate("""(k) => {
            const b = document.querySelectorAll('.klbook-explorer')[k].querySelector('svg').getBoundingClientRect();
            return [b.top, b.bottom, window.innerHeight];
        }""", k)
        if box[0] < 0 or box[1] > box[2] + 2:
            dead.append(f"explorer {k}: figure spans {box[0]:.0f}..{box[1]:.0f}px of {box[2]}px")
        controls = page.locator(".klbook-explorer").nth(k).locator("input, select")
        for c in range(controls.count()):
            control = controls.nth(c)
            before = page.locator(".klbook-explorer").nth(k).evaluate(SNAPSHOT)
            if control.evaluate("el => el.tagName") == "SELECT":
                control.select_option(index=(control.evaluate("el => el.selectedIndex") + 1)
                                      % control.evaluate("el => el.options.length"))
            else:
                control.focus()
                page.keyboard.press("End" if control.evaluate("el => +el.value < +el.max") else "Home")
            if page.locator(".klbook-explorer").nth(k).evaluate(SNAPSHOT) == before:
                dead.append(f"explorer {k}: control {c} changed nothing")
    assert dead == [] and problems == [], f"{name}: " + "; ".join(dead + problems)


SNAPSHOT = """(root) => Array.from(root.querySelectorAll('path, rect, image')).map(e => e.getAttribute('d') ||
    [e.getAttribute('height'), e.getAttribute('href')].join()).join('|') + root.querySelector('.kx-readout').textContent"""


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_deck_advances(open_deck, name):
    """The right arrow key and Reveal.next() move to another slide."""
    page, problems = open_deck(name)
    total = page.evaluate("Reveal.getTotalSlides()")
    if total < 2 and not has_slide_metadata(CHAPTERS[name]):
        pytest.xfail(f"{name}.ipynb has no slide metadata yet: one slide, nothing to advance to")
    assert total >= 2, f"{name}: slide metadata present but the deck has {total} slide"
    page.evaluate("Reveal.slide(0, 0, -1)")
    before = page.evaluate("Reveal.getProgress()")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(p) => Reveal.getProgress() > p", arg=before)
    after_key = page.evaluate("Reveal.getProgress()")
    page.evaluate("Reveal.next()")
    assert page.evaluate("Reveal.getProgress()") > after_key or page.evaluate("Reveal.isLastSlide()")
    assert problems == [], f"{name} while advancing:\n" + "\n".join(problems)


def notes_cells(notebook: Path) -> int:
    nb = nbformat.read(notebook, as_version=4)
    return sum(c.metadata.get("slideshow", {}).get("slide_type") == "notes" for c in nb.cells)


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_deck_has_the_speaker_notes(open_deck, name):
    page, _ = open_deck(name)
    expected = notes_cells(CHAPTERS[name])
    found = page.evaluate("document.querySelectorAll('.reveal aside.notes').length")
    assert found == expected, f"{name}: {found} <aside class=notes> for {expected} notes cells"


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_every_slide_fits_the_screen(open_deck, name):
    """No slide is taller than the deck's slide height (it would scroll on the projector)."""
    page, _ = open_deck(name)
    overflowing = page.evaluate("""() => {
        Reveal.configure({transition: 'none'});
        const out = [];
        for (const [h, stack] of Reveal.getHorizontalSlides().entries()) {
            const vertical = stack.querySelectorAll(':scope > section');
            const count = Math.max(1, vertical.length);
            for (let v = 0; v < count; v++) {
                Reveal.slide(h, v);
                const s = Reveal.getCurrentSlide();
                if (s.scrollHeight > s.clientHeight + 4)
                    out.push(`slide ${h}/${v}: ${s.scrollHeight}px content in ${s.clientHeight}px`);
            }
        }
        Reveal.slide(0, 0);
        return out;
    }""")
    assert overflowing == [], f"{name}: " + "; ".join(overflowing)
