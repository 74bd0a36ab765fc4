"""What the browser tests look for on a loaded page.

Each function takes a ``PageView`` (conftest.py) and returns a list of
problems, empty when the page is fine. test_browser_pages.py applies them to
every built page; test_browser_selfcheck.py shows that each one catches the
defect it is for, on a deliberately broken page.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

FILENAME_ALT = re.compile(r"(^|/)[^/\s]+\.(png|jpe?g|svg|gif|webp)$", re.I)


def console_problems(view) -> list[str]:
    """JavaScript errors, uncaught exceptions, failed or refused requests."""
    return list(view.problems)


LINKS_JS = """() => Array.from(document.querySelectorAll(
        'a[href], img[src], link[href], script[src], source[src], iframe[src]')).map(el => {
    const attr = el.hasAttribute('href') ? 'href' : 'src';
    return [el.tagName.toLowerCase(), attr, el.getAttribute(attr), el[attr] || ''];
})"""


def link_problems(view) -> list[str]:
    """Every href/src of the live DOM that points inside the site names an existing file and #id."""
    broken = []
    for tag, attr, raw, absolute in view.page.evaluate(LINKS_JS):
        if not absolute.startswith(view.base_url):
            continue  # external (listed by tools/site_check.py, never fetched), data:, mailto:
        url, fragment = urldefrag(absolute)
        rel = urlsplit(url).path.lstrip("/")
        target = view.site_dir / rel
        if rel == "" or rel.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"<{tag} {attr}={raw!r}> -> missing {rel or '/'}")
            continue
        # "#/..." fragments are routes of a script (reveal.js slides), not element ids.
        if fragment and not fragment.startswith("/") and tag == "a" and target.suffix == ".html":
            if target == view.site_dir / view.rel:
                found = view.page.evaluate("(id) => !!document.getElementById(id)", fragment)
            else:
                found = re.search(rf'\bid="{re.escape(fragment)}"', target.read_text(errors="replace"))
            if not found:
                broken.append(f"<{tag} {attr}={raw!r}> -> no element with id {fragment!r}")
    return broken


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


def math_problems(view) -> list[str]:
    """No raw TeX left in the text; every formula became MathJax output, without errors."""
    math = view.page.evaluate(MATH_JS)
    problems = [f"raw TeX left in the text: {t!r}" for t in math["raw"]]
    problems += [p for p in tex_word_problems(view) if p not in problems]
    problems += [f"formula not typeset: {t!r}" for t in math["untypeset"]]
    problems += [f"MathJax error: {t!r}" for t in math["errors"]]
    if math["containers"] < math["mathElements"]:
        problems.append(f"{math['mathElements']} formulas but {math['containers']} MathJax outputs")
    return problems


IMAGES_JS = """() => Array.from(document.querySelectorAll('img')).map(img => {
    const box = img.getBoundingClientRect();
    return {
        src: (img.getAttribute('src') || '').slice(0, 100),
        alt: img.getAttribute('alt'),
        loaded: img.complete && img.naturalWidth > 0,
        width: box.width, height: box.height,
        hiddenByDesign: !!img.closest('details:not([open]), .toggle-hidden, [hidden], noscript'),
        inContent: !!img.closest('article.bd-article'),
        inWidget: !!img.closest('.jupyter-widgets'),
        inAnimation: !!img.closest('.animation'),
    };
})"""


def image_problems(view) -> list[str]:
    """Every image loaded; in the text, each has a non-zero box and an alt that describes it.

    Images of the theme (e.g. the Binder logo in a closed menu) only have to
    load; a figure may be out of sight only inside a collapsed toggle. Images
    drawn by the widget manager or an animation player have no alt of their own.
    """
    problems = []
    for img in view.page.evaluate(IMAGES_JS):
        where = f"<img src={img['src']!r}>"
        if not img["loaded"]:
            problems.append(f"{where} did not load")
        elif img["inContent"] and not img["hiddenByDesign"] and (img["width"] <= 0 or img["height"] <= 0):
            problems.append(f"{where} has an empty box ({img['width']}x{img['height']})")
        if img["inContent"] and not img["inWidget"] and not img["inAnimation"]:
            alt = (img["alt"] or "").strip()
            if not alt or FILENAME_ALT.search(alt):
                problems.append(
                    f"{where} has no descriptive alt text (alt={img['alt']!r}); give the cell "
                    "metadata mystnb.image.alt (or mystnb.figure) a sentence saying what it shows"
                )
    return problems


OVERFLOW_JS = """() => {
    const doc = document.documentElement;
    // The layout viewport: the phone's width for a page with
    // <meta name=viewport content="width=device-width">; a page without one is
    // laid out 980 px wide and zoomed out to fit, so it never scrolls sideways.
    const width = doc.clientWidth;
    const offenders = [];
    const contained = (el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const ox = getComputedStyle(p).overflowX;
            if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true;
        }
        return false;
    };
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.right > width + 1 && !contained(el)) {
            const cls = String(el.className || '').trim().split(/\\s+/).slice(0, 3).join('.');
            offenders.push(`${el.tagName.toLowerCase()}${cls ? '.' + cls : ''} (right edge ${Math.round(box.right)} px)`);
            if (offenders.length >= 8) break;
        }
    }
    return {scrollWidth: doc.scrollWidth, width, offenders};
}"""


def overflow_problems(view, width: int) -> list[str]:
    """The page never scrolls sideways at ``width`` (code and tables may scroll in their boxes)."""
    result = view.page.evaluate(OVERFLOW_JS)
    problems = []
    if result["width"] > width and 'name="viewport"' in view.html:
        problems.append(f"layout viewport {result['width']} px, not the {width} px of the screen")
    if result["scrollWidth"] > result["width"]:
        problems.append(f"the page is {result['scrollWidth']} px wide in a {result['width']} px viewport; "
                        f"overflowing: {result['offenders']}")
    return problems


IMAGE_FIT_JS = """(width) => {
    const out = [];
    const article = document.querySelector('.bd-article');
    if (!article) return out;
    // The text column: a figure wider than it runs into the margin or off the screen.
    const column = article.getBoundingClientRect(), style = getComputedStyle(article);
    const left = Math.max(0, column.left + parseFloat(style.paddingLeft));
    const right = Math.min(width, column.right - parseFloat(style.paddingRight));
    for (const el of article.querySelectorAll('img, .animation, .klbook-explorer svg')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;  // not shown (a folded solution)
        // 4 px of slack: ipywidgets' own 2 px margins around a full-width figure.
        if (box.left < left - 4 || box.right > right + 4) {
            const name = el.tagName === 'IMG' ? `img "${(el.alt || el.src).slice(0, 60)}"` : 'animation player';
            out.push(`${name} spans ${Math.round(box.left)}..${Math.round(box.right)} px ` +
                     `of a ${Math.round(left)}..${Math.round(right)} px column`);
        }
    }
    return out;
}"""


def image_fit_problems(view, width: int) -> list[str]:
    """Every figure, widget image and animation player fits the text column at ``width``.

    Stricter than :func:`overflow_problems`: a figure inside a box that scrolls
    sideways does not widen the page, but a reader still sees only part of it.
    """
    return [f"cut off at {width} px: {item}" for item in view.page.evaluate(IMAGE_FIT_JS, width)]


# Every control a reader can operate in the book's content (theme chrome and
# the copy buttons of code cells aside), and what it must change.
CONTROLS_JS = r"""() => {
    const root = document.querySelector('article.bd-article') || document.querySelector('.reveal .slides');
    if (!root) return [];
    const selector = 'input, select, textarea, button, summary, [role=slider], [role=button], [role=radio], ' +
                     '[role=checkbox], [role=switch], [role=tab], [role=combobox], [onclick]';
    const chrome = '.copybtn, .headerlink, .toggle-button, .tag_hide-input summary, .cell_input summary';
    return Array.from(root.querySelectorAll(selector)).filter(el => !el.closest(chrome)).map((el, i) => {
        el.dataset.klbookControl = String(i);
        const label = el.labels && el.labels.length ? el.labels[0].textContent.trim()
            : (el.getAttribute('aria-label') || el.textContent || el.name || '').trim();
        return {index: i, tag: el.tagName.toLowerCase(), type: (el.getAttribute('type') || '').toLowerCase(),
                role: el.getAttribute('role') || '', label: label.slice(0, 60),
                visible: el.getBoundingClientRect().width > 0 && !el.closest('details:not([open])')};
    });
}"""

# What a control's figure and numbers look like now: the drawing (SVG
# geometry, image sources) and the text of its explorer, quiz or player,
# leaving out the control's own label and value readout.
SNAPSHOT_JS = r"""(index) => {
    const control = document.querySelector(`[data-klbook-control="${index}"]`);
    const scope = control.closest('.klbook-explorer, .animation, .cell_output, details, .admonition, section')
        || document.body;
    const parts = [];
    for (const el of scope.querySelectorAll('path, rect, circle, line, polyline, image, img')) {
        parts.push(['d', 'x', 'y', 'width', 'height', 'cx', 'cy', 'x1', 'x2', 'href', 'src']
            .map(a => el.getAttribute(a)).join(','));
    }
    // Classes show state too (a quiz marks the chosen answer right or wrong).
    for (const el of scope.querySelectorAll('[class]')) if (el !== control) parts.push(el.getAttribute('class'));
    const clone = scope.cloneNode(true);
    clone.querySelectorAll('.kx-control, label, output').forEach(e => e.remove());
    parts.push(clone.textContent.replace(/\s+/g, ' '));
    parts.push(String(Array.from(scope.querySelectorAll('details')).map(d => d.open)));
    if (scope.tagName === 'DETAILS') parts.push(String(scope.open));
    return parts.join('|');
}"""


OPERATE_TIMEOUT_MS = 3000


def operate(page, control) -> None:
    """Move one control the way a keyboard user would: Home/End for ranges, Space for radios
    and checkboxes, Enter for buttons and summaries; selects get their next option."""
    locator = page.locator(f'[data-klbook-control="{control["index"]}"]')
    locator.scroll_into_view_if_needed(timeout=OPERATE_TIMEOUT_MS)
    if control["tag"] == "input" and control["type"] == "range" or control["role"] == "slider":
        at_end = locator.evaluate("el => el.value !== undefined && Number(el.value) >= Number(el.max)")
        locator.focus(timeout=OPERATE_TIMEOUT_MS)
        page.keyboard.press("Home" if at_end else "End")
    elif control["tag"] == "select":
        count = locator.evaluate("el => el.options.length")
        current = locator.evaluate("el => el.selectedIndex")
        locator.select_option(index=(current + 1) % max(count, 1), timeout=OPERATE_TIMEOUT_MS)
    else:
        # From the keyboard, as a reader who cannot use a mouse would.
        locator.focus(timeout=OPERATE_TIMEOUT_MS)
        page.keyboard.press("Space" if control["tag"] == "input" or control["role"] in ("radio", "checkbox")
                            else "Enter")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def control_problems(view) -> list[str]:
    """Operating each control in the content changes its figure or its numbers.

    A control that changes nothing a reader can see (a slider of a widget
    without a kernel, a quiz button without a script) is a dead control.
    """
    page = view.page
    problems = []
    views = page.evaluate("""() => document.querySelectorAll(
        'script[type="application/vnd.jupyter.widget-view+json"], .jupyter-widgets').length""")
    if views:
        problems.append(f"{views} ipywidgets views or scripts on a page with no kernel: their controls are dead")
    # Folded content (solutions, hidden cells) is opened first: its controls count too.
    page.evaluate("""() => {
        document.querySelectorAll('article .toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
        document.querySelectorAll('article details').forEach(d => { d.open = true; });
    }""")
    for control in page.evaluate(CONTROLS_JS):
        name = f"{control['tag']}{'[' + control['type'] + ']' if control['type'] else ''} {control['label']!r}"
        if not control["visible"]:
            continue  # inside a folded solution: checked when unfolded (its summary is a control too)
        before = page.evaluate(SNAPSHOT_JS, control["index"])
        try:
            operate(page, control)
        except Exception as err:  # playwright errors: not operable is a problem, not a crash
            problems.append(f"{name}: could not be operated ({str(err).splitlines()[0]})")
            continue
        if page.evaluate(SNAPSHOT_JS, control["index"]) == before:
            problems.append(f"dead control: {name} changed neither its figure nor its numbers")
    return problems


RAW_TEX_WORDS = re.compile(
    r"\\(frac|log|int|sum|mathbb|mathcal|mathrm|left|right|cdot|infty|operatorname|begin|end|Vert|"
    r"lVert|rVert|sqrt|mu|sigma|alpha|quad|partial|nabla|approx|le|ge|propto)\b|[_^]\{")


def tex_word_problems(view) -> list[str]:
    """TeX commands (``\\frac``, ``x_{i}``...) left in the page's text outside math and code."""
    texts = view.page.evaluate(r"""() => {
        const out = [];
        const skip = 'pre, code, script, style, textarea, mjx-container, .highlight, .cell_input, .math, .klbook-explorer';
        const root = document.querySelector('article.bd-article') || document.body;
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const parent = node.parentElement;
            if (!parent || parent.closest(skip)) continue;
            out.push(node.textContent);
        }
        return out;
    }""")
    return [f"raw TeX left in the text: {t.strip()[:80]!r}" for t in texts if RAW_TEX_WORDS.search(t)]
