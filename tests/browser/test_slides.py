"""The lecture slide decks (``make slides``) in a real browser, with no network.

Each chapter of ``_toc.yml`` has a deck in ``_build/html/slides/``. A deck is
opened from the site server with every request outside the site refused (not
routed to local copies, unlike the book's pages): a deck must work offline.
It must initialise reveal.js, log no error, typeset its math, render its saved
widget state, carry the notebook's speaker notes, fit every slide on the
screen, and advance when the presenter presses the right arrow key.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

from .conftest import LOAD_TIMEOUT_MS, ROOT, SITE_DIR, WIDGET_STATE_MIME, serve

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


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_deck_renders_saved_widget_state(open_deck, name):
    nb = nbformat.read(CHAPTERS[name], as_version=4)
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE_MIME, {}).get("state", {})
    views = sum(
        1 for c in nb.cells if c.cell_type == "code"
        for o in c.get("outputs", []) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    )
    if not views:
        pytest.skip(f"{name} displays no widget")
    assert state, f"{name}: widget views but no saved widget state in the notebook"
    page, _ = open_deck(name)
    page.wait_for_function(
        "(n) => document.querySelectorAll('.widget-subarea > .jupyter-widgets, "
        ".jupyter-widgets.widget-container').length >= n", arg=views)
    sliders = page.evaluate("document.querySelectorAll('.widget-slider, .slider').length")
    assert sliders > 0 or not any("Slider" in json.dumps(m.get("model_name", "")) for m in state.values())


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


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_widget_slides_are_on_screen_once_rendered(open_deck, offline_context, site_url, name):
    """The widget manager renders after reveal.js lays the slides out; the deck
    must lay out again, or a widget slide opened by its URL (a lecturer's
    bookmark, a reload) stays centred on its empty placeholder and its figure
    runs off the bottom of the screen."""
    page, _ = open_deck(name)
    targets = page.evaluate("""() => {
        const out = [];
        for (const [h, stack] of Reveal.getHorizontalSlides().entries()) {
            const vertical = [...stack.querySelectorAll(':scope > section')];
            (vertical.length ? vertical : [stack]).forEach((s, v) => {
                if (s.querySelector('.jupyter-widgets img')) out.push(`${h}/${v}`);
            });
        }
        return out;
    }""")
    if not targets:
        pytest.skip(f"{name} has no widget slide")
    fresh = offline_context.new_page()
    off = []
    for target in targets:
        fresh.goto(f"{site_url}{build_slides.SLIDES_DIR}/{name}.html#/{target}", wait_until="load")
        fresh.wait_for_function("window.Reveal && Reveal.isReady() && "
                                "Reveal.getCurrentSlide().querySelector('.jupyter-widgets img')")
        fresh.wait_for_timeout(400)
        box = fresh.evaluate("""() => {
            const b = Reveal.getCurrentSlide().querySelector('.jupyter-widgets img').getBoundingClientRect();
            return [b.top, b.bottom, window.innerHeight];
        }""")
        if box[0] < 0 or box[1] > box[2] + 2:
            off.append(f"#/{target}: widget figure spans {box[0]:.0f}..{box[1]:.0f}px of {box[2]}px")
    fresh.close()
    assert off == [], f"{name}: " + "; ".join(off)
