"""Every page of the built book, as a reader's browser shows it.

Pages are discovered from ``_build/html`` (see conftest.py), so chapters added
later are covered without editing this file. Each page is loaded once at
desktop width (1280 px) and once at phone width (390 px), with screenshots in
``_build/screenshots/``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from .conftest import SITE_DIR, page_text

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390
# Widget models whose views draw a slider.
SLIDER_MODELS = re.compile(r"(Float|Int|FloatLog|Selection)(Range)?SliderModel$")


def check_page_exists(page: str) -> None:
    if not (SITE_DIR / page).is_file():
        pytest.fail(page)


# --------------------------------------------------------------------------
# Loading, console, network


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_page_loads_without_console_errors(site_browser, page, viewport):
    """The page loads, logs no JavaScript error and requests nothing that fails."""
    check_page_exists(page)
    view = site_browser.open(page, viewport)
    assert view.problems == [], f"{page} ({viewport}):\n" + "\n".join(view.problems)
    assert view.screenshot is not None and view.screenshot.stat().st_size > 0


# --------------------------------------------------------------------------
# Links and images inside the site (the DOM after scripts ran, not the file)

LINKS_JS = """() => {
    const refs = [];
    for (const el of document.querySelectorAll('a[href], img[src], link[href], script[src], source[src], iframe[src]')) {
        const attr = el.hasAttribute('href') ? 'href' : 'src';
        refs.push([el.tagName.toLowerCase(), attr, el.getAttribute(attr), el[attr] || '']);
    }
    return refs;
}"""


def test_internal_links_and_images_resolve(site_browser, page):
    """Every href/src that points inside the site names an existing file (and #id)."""
    check_page_exists(page)
    view = site_browser.open(page, "desktop")
    base = view.url.rsplit("/", 1)[0]
    site_root = site_browser.base_url
    broken = []
    for tag, attr, raw, absolute in view.page.evaluate(LINKS_JS):
        if not absolute.startswith(site_root):
            continue  # external (listed by tools/site_check.py, never fetched) or data:/mailto:
        url, fragment = urldefrag(absolute)
        rel = urlsplit(url).path.lstrip("/")
        target = SITE_DIR / rel
        if rel == "" or rel.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"<{tag} {attr}={raw!r}> -> missing {rel or '/'}")
            continue
        if fragment and tag == "a" and target.suffix == ".html":
            if target == SITE_DIR / page:
                found = view.page.evaluate("(id) => !!document.getElementById(id)", fragment)
            else:
                found = f'id="{fragment}"' in target.read_text(errors="replace")
            if not found:
                broken.append(f"<{tag} {attr}={raw!r}> -> no element with id {fragment!r}")
    assert not broken, f"{page} (from {base}):\n" + "\n".join(broken)


# --------------------------------------------------------------------------
# Math

MATH_JS = r"""() => {
    const untypeset = [];
    for (const el of document.querySelectorAll('.math')) {
        if (!el.querySelector('mjx-container') && !el.closest('mjx-container'))
            untypeset.push(el.textContent.trim().slice(0, 80));
    }
    // Raw TeX left in text that is not code.
    const raw = [];
    const skip = 'pre, code, script, style, textarea, mjx-container, .highlight, .cell_input, .output';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const pattern = /\$\$|\\\(|\\\[|\\begin\{|\$[^$\s][^$]*[\\^_][^$]*\$/;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest(skip)) continue;
        if (pattern.test(node.textContent)) raw.push(node.textContent.trim().slice(0, 80));
    }
    return {
        mathElements: document.querySelectorAll('.math').length,
        containers: document.querySelectorAll('mjx-container').length,
        errors: Array.from(document.querySelectorAll('mjx-merror')).map(e => e.textContent.slice(0, 80)),
        untypeset, raw,
    };
}"""


def test_math_is_typeset(site_browser, page):
    """No raw TeX is left on the page; every formula became MathJax output, without errors."""
    check_page_exists(page)
    view = site_browser.open(page, "desktop")
    math = view.page.evaluate(MATH_JS)
    assert math["raw"] == [], f"{page}: raw TeX left in the text: {math['raw']}"
    assert math["untypeset"] == [], f"{page}: formulas not typeset: {math['untypeset']}"
    assert math["errors"] == [], f"{page}: MathJax errors: {math['errors']}"
    if math["mathElements"]:
        assert math["containers"] >= math["mathElements"], math


# --------------------------------------------------------------------------
# Figures

IMAGES_JS = """() => Array.from(document.querySelectorAll('img')).map(img => {
    const box = img.getBoundingClientRect();
    const hidden = img.closest('details:not([open]), .toggle-hidden, [hidden], .d-none, noscript');
    return {
        src: (img.getAttribute('src') || '').slice(0, 100),
        alt: img.getAttribute('alt'),
        complete: img.complete,
        naturalWidth: img.naturalWidth,
        width: box.width, height: box.height,
        hiddenByDesign: !!hidden,
        inContent: !!img.closest('article.bd-article'),
        inWidget: !!img.closest('.jupyter-widgets'),
        inAnimation: !!img.closest('.animation'),
    };
})"""
FILENAME_ALT = re.compile(r"(^|/)[^/\s]+\.(png|jpe?g|svg|gif|webp)$", re.I)


def test_figures_are_visible_and_described(site_browser, page):
    """Every image loaded; in the text, each has a non-zero box and an alt that describes it.

    Images of the theme (e.g. the Binder logo in a closed menu) only have to load;
    a figure may be out of sight only inside a collapsed toggle.
    """
    check_page_exists(page)
    view = site_browser.open(page, "desktop")
    problems = []
    for img in view.page.evaluate(IMAGES_JS):
        where = f"<img src={img['src']!r}>"
        if not (img["complete"] and img["naturalWidth"] > 0):
            problems.append(f"{where} did not load")
        elif img["inContent"] and not img["hiddenByDesign"] and (img["width"] <= 0 or img["height"] <= 0):
            problems.append(f"{where} has an empty box ({img['width']}x{img['height']})")
        # Alt text: figures of the text must say what they show. Images drawn by
        # the widget manager or the animation player carry none of their own.
        if img["inContent"] and not img["inWidget"] and not img["inAnimation"]:
            alt = (img["alt"] or "").strip()
            if not alt or FILENAME_ALT.search(alt):
                problems.append(
                    f"{where} has no descriptive alt text (alt={img['alt']!r}); set it with the "
                    "cell metadata mystnb.image.alt or mystnb.figure"
                )
    assert not problems, f"{page}:\n" + "\n".join(problems)


# --------------------------------------------------------------------------
# Widgets (saved state rendered without a kernel)


def widget_expectations(html: str) -> dict:
    """What the saved widget state promises to show: views, sliders, figures.

    Only models reachable from a displayed view count.
    """
    match = re.search(
        r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', html, re.S
    )
    state = json.loads(match.group(1))["state"] if match else {}
    views = re.findall(
        r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>', html, re.S
    )
    roots = [json.loads(v)["model_id"] for v in views]
    reachable, todo = set(), list(roots)
    while todo:
        model_id = todo.pop()
        if model_id in reachable or model_id not in state:
            continue
        reachable.add(model_id)
        todo.extend(re.findall(r"IPY_MODEL_([0-9a-f]+)", json.dumps(state[model_id]["state"])))
    sliders = sum(1 for m in reachable if SLIDER_MODELS.search(state[m]["model_name"]))
    figures = 0
    for m in reachable:
        if state[m]["model_name"] == "OutputModel":
            outputs = state[m]["state"].get("outputs", [])
            figures += sum(1 for o in outputs if "image/png" in o.get("data", {}))
    return {"views": len(roots), "missing_models": len(set(roots) - set(state)),
            "sliders": sliders, "figures": figures}


WIDGETS_JS = """() => ({
    rendered: document.querySelectorAll('.widget-subarea > .jupyter-widgets').length,
    errors: Array.from(document.querySelectorAll('.jupyter-widgets .widget-error, .jupyter-widgets-error-widget'))
        .map(e => e.textContent.slice(0, 120)),
    sliders: Array.from(document.querySelectorAll('.jupyter-widgets .slider-container, .jupyter-widgets .widget-slider'))
        .filter(e => e.getBoundingClientRect().width > 0).length,
    figures: Array.from(document.querySelectorAll('.jupyter-widgets.widget-output img, .widget-output img'))
        .filter(i => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0).length,
})"""


def test_saved_widget_state_renders(site_browser, widget_page):
    """Every widget view renders from the saved state: sliders and default figures appear."""
    expected = widget_expectations(page_text(widget_page))
    assert expected["views"] > 0, f"{widget_page}: widget state but no widget view on the page"
    assert expected["missing_models"] == 0, f"{widget_page}: views refer to models missing from the saved state"
    view = site_browser.open(widget_page, "desktop")
    shown = view.page.evaluate(WIDGETS_JS)
    assert shown["errors"] == [], f"{widget_page}: widget errors {shown['errors']}"
    assert shown["rendered"] >= expected["views"], (
        f"{widget_page}: {shown['rendered']} of {expected['views']} widget views rendered"
    )
    # .widget-slider wraps .slider-container: each slider counts at least once.
    assert shown["sliders"] >= expected["sliders"], (
        f"{widget_page}: {expected['sliders']} sliders in the state, {shown['sliders']} visible"
    )
    assert shown["figures"] >= expected["figures"], (
        f"{widget_page}: {expected['figures']} default figures in the state, {shown['figures']} visible"
    )


# --------------------------------------------------------------------------
# Scrubbable sweeps (matplotlib Animation.to_jshtml players)

PLAYERS_JS = """() => Array.from(document.querySelectorAll('div.animation')).map((div, i) => {
    div.dataset.klbookPlayer = String(i);
    const slider = div.querySelector('input[type=range]');
    const img = div.querySelector('img');
    return {index: i, hasSlider: !!slider, hasImage: !!img,
            max: slider ? Number(slider.max) : 0, min: slider ? Number(slider.min) : 0};
})"""


def test_scrubbing_a_sweep_changes_the_frame(site_browser, animation_page):
    """Dragging each animation's slider shows a different frame."""
    view = site_browser.open(animation_page, "desktop")
    page = view.page
    players = page.evaluate(PLAYERS_JS)
    assert players, f"{animation_page}: no animation player found"
    for player in players:
        label = f"{animation_page} player {player['index']}"
        assert player["hasSlider"] and player["hasImage"], f"{label}: no slider or no image"
        assert player["max"] > player["min"], f"{label}: a sweep needs at least two frames"
        root = page.locator(f'div.animation[data-klbook-player="{player["index"]}"]')
        slider, image = root.locator("input[type=range]"), root.locator("img").first
        slider.scroll_into_view_if_needed()
        before = image.get_attribute("src")
        box = slider.bounding_box()
        y = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + 2, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] - 2, y, steps=8)
        page.mouse.up()
        after = image.get_attribute("src")
        assert slider.input_value() != str(player["min"]), f"{label}: the slider did not move"
        assert after and after != before, f"{label}: moving the slider did not change the frame"
        natural = image.evaluate("img => img.naturalWidth")
        assert natural > 0, f"{label}: the new frame is not a loadable image"


# --------------------------------------------------------------------------
# Phone width

OVERFLOW_JS = """(width) => {
    const doc = document.documentElement;
    const offenders = [];
    const scrollable = (el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const ox = getComputedStyle(p).overflowX;
            if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true;
        }
        return false;
    };
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.right > width + 1 && !scrollable(el)) {
            offenders.push(`${el.tagName.toLowerCase()}.${String(el.className).split(' ').slice(0, 3).join('.')} right=${Math.round(box.right)}`);
            if (offenders.length >= 8) break;
        }
    }
    return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, innerWidth: window.innerWidth, offenders};
}"""


def test_nothing_overflows_at_phone_width(site_browser, page):
    """At 390 px the page itself never scrolls sideways (code and tables scroll inside their boxes)."""
    check_page_exists(page)
    view = site_browser.open(page, "phone")
    result = view.page.evaluate(OVERFLOW_JS, PHONE_WIDTH)
    assert result["scrollWidth"] <= PHONE_WIDTH, (
        f"{page}: page is {result['scrollWidth']} px wide at a {PHONE_WIDTH} px viewport; "
        f"overflowing elements: {result['offenders']}"
    )


def test_screenshots_written(site_browser, page):
    """A person can look at every page at both widths in _build/screenshots/."""
    check_page_exists(page)
    shots = [site_browser.open(page, v).screenshot for v in ("desktop", "phone")]
    for shot in shots:
        assert shot is not None and Path(shot).is_file() and Path(shot).stat().st_size > 1000, shot
