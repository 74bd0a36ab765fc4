"""The explorers speak the page's language: Korean on a Korean page, English on an English one.

The Korean pages are the Korean edition's own (``_build/html/ko/``, built by
``make book``): their explorers' placeholders were translated by the build
(``klbook_i18n.translate_explorer_html``: title, palette words, fallback text,
``data-lang="ko"``) and the page's script loads the label table
(``_static/klbook-labels-ko.js``) itself, as a page opened from disk would.
"""

from __future__ import annotations

import re

import pytest

from klbook import explorers

from .conftest import SITE_DIR, pages_with, wait_until_settled

pytestmark = pytest.mark.browser

ALL_APPS = sorted(set(explorers.APPS) | set(explorers.CONFIG_ONLY_APPS))
EXPLORER_PAGES = [r for r in pages_with(r'class="klbook-explorer"') if not r.startswith("ko/")]  # English pages
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# English left in a Korean explorer: a sentence's glue words (symbols and math have none).
ENGLISH = re.compile(r"\b(the|of|and|with|from|at|by|is|to)\b", re.I)
READY_JS = """() => [...document.querySelectorAll('.klbook-explorer')].every(
    e => ['yes', 'failed'].includes(e.getAttribute('data-ready')))"""
# Each explorer's words: what it shows, its figures' text alternatives and its
# controls' names, announced values and options.
WORDS_JS = """root => {
    const out = {text: root.textContent, aria: []};
    root.querySelectorAll('svg title').forEach(t => out.aria.push(t.textContent));
    root.querySelectorAll('[aria-label], [aria-valuetext]').forEach(el => {
        if (el.getAttribute('aria-label')) out.aria.push(el.getAttribute('aria-label'));
    });
    root.querySelectorAll('label').forEach(l => out.aria.push(l.textContent));
    const heading = document.getElementById(root.getAttribute('aria-labelledby'));
    out.heading = heading ? heading.textContent : '';
    out.ready = root.getAttribute('data-ready');
    out.lang = root.getAttribute('data-lang');
    return out;
}"""


def page_for(app):
    """A page with `app` in its text (not only in a folded solution)."""
    return next(r for r in sorted(EXPLORER_PAGES, key=lambda r: "exercises" in r)
                if f'data-app="{app}"' in (SITE_DIR / r).read_text(encoding="utf-8"))


PAGES = sorted({page_for(app) for app in ALL_APPS})


def load(site_browser, rel, lang):
    page, problems = site_browser.new_page("desktop")
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console error: {msg.text}"))
    page.on("pageerror", lambda err: problems.append(f"uncaught exception: {err}"))
    page.on("response", lambda resp: resp.status >= 400 and problems.append(f"HTTP {resp.status}: {resp.url}"))
    requested = []
    page.on("request", lambda req: requested.append(req.url))
    if lang == "ko" and not (SITE_DIR / "ko" / rel).is_file():
        pytest.fail(f"{SITE_DIR / 'ko' / rel} is missing: run `make book` (it builds the Korean edition)")
    url = site_browser.base_url + ("ko/" if lang == "ko" else "") + rel
    page.goto(url, wait_until="load")
    wait_until_settled(page, False)
    page.wait_for_function(READY_JS, timeout=30_000)
    return page, problems, requested


def words(root):
    return root.evaluate(WORDS_JS)


def leftover_english(text):
    # Names the table keeps in English (forward/reverse KL may stay English, per the glossary).
    return ENGLISH.findall(text)


def operate_each_control(page, root):
    """Move every control once (ranges to their other end, selects to the next option);
    yield the readout after each move."""
    controls = root.locator("input, select")
    for i in range(controls.count()):
        control = controls.nth(i)
        if control.is_disabled():
            continue
        control.evaluate("""el => {
            if (el.tagName === 'SELECT') el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
            else el.value = String(Number(el.value) >= Number(el.max) ? el.min : el.max);
            el.dispatchEvent(new Event('input', {bubbles: true}));
            el.dispatchEvent(new Event('change', {bubbles: true}));
        }""")
        yield control, root.locator(".kx-readout").text_content()


@pytest.fixture(scope="module", params=PAGES)
def korean_page(request, site_browser):
    page, problems, requested = load(site_browser, request.param, "ko")
    yield request.param, page, problems, requested
    page.close()


def test_every_app_is_covered():
    assert {app for rel in PAGES for app in re.findall(r'data-app="(\w+)"', (SITE_DIR / rel).read_text())} \
        >= set(ALL_APPS)


def test_korean_explorers_speak_korean(korean_page):
    rel, page, problems, requested = korean_page
    roots = page.locator(".klbook-explorer")
    assert roots.count() > 0
    for i in range(roots.count()):
        got = words(roots.nth(i))
        assert got["ready"] == "yes" and got["lang"] == "ko", (rel, got["ready"])
        for name, text in [("heading", got["heading"]), ("text", got["text"])] + \
                [("aria", a) for a in got["aria"] if re.search(r"[A-Za-z]{4,}", a)]:
            assert HANGUL.search(text), f"{rel}: {name} has no Hangul: {text[:200]!r}"
            assert not leftover_english(text), f"{rel}: {name} keeps English {leftover_english(text)}: {text[:300]!r}"
        descriptions = roots.nth(i).locator("svg title")
        assert descriptions.count() and all(HANGUL.search(t) for t in descriptions.all_text_contents())
    assert any("/_static/klbook-labels-ko.js" in u for u in requested)
    assert problems == [], problems


def test_korean_readouts_follow_the_controls(korean_page):
    rel, page, problems, _ = korean_page
    roots = page.locator(".klbook-explorer")
    for i in range(roots.count()):
        root = roots.nth(i)
        before = root.locator(".kx-readout").text_content()
        changed = False
        for _, readout in operate_each_control(page, root):
            assert HANGUL.search(readout), (rel, readout)
            assert not leftover_english(readout), (rel, leftover_english(readout), readout)
            assert not re.search(r"\bNaN\b|undefined|\{\w+\}", readout), (rel, readout)
            changed |= readout != before
            before = readout
        assert changed, f"{rel}: explorer {i}'s readout never changed"
        got = words(root)
        assert not leftover_english(got["text"] + " ".join(got["aria"])), rel
    assert problems == [], problems


@pytest.mark.parametrize("rel", PAGES)
def test_english_explorers_unchanged(site_browser, rel):
    page, problems, requested = load(site_browser, rel, "en")
    try:
        roots = page.locator(".klbook-explorer")
        for i in range(roots.count()):
            got = words(roots.nth(i))
            assert got["ready"] == "yes" and got["lang"] is None
            everything = got["heading"] + got["text"] + " ".join(got["aria"])
            assert not HANGUL.search(everything), rel
            assert got["heading"] in explorers.TITLES.values()
        assert not any("klbook-labels" in u for u in requested), "an English page loads no label table"
        assert problems == [], problems
    finally:
        page.close()
