"""The browser checks catch what they are for: one deliberately broken page.

The page below has one defect for each check of checks.py; every check must
report it. (The real pages, in test_browser_pages.py, must report nothing.)
"""

from __future__ import annotations

import pytest

from . import checks
from .conftest import PHONE_WIDTH, SiteBrowser, serve

pytestmark = pytest.mark.browser

PIXEL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
BROKEN_PAGE = f"""<!DOCTYPE html>
<html><head><meta name="viewport" content="width=device-width, initial-scale=1">
<script>window.notDefined.call();</script>
<script src="https://cdn.example.invalid/lib.js"></script>
</head><body><article class="bd-article">
<p>Raw display math $$x^2$$ left in the text.</p>
<ul><li>\\frac{{1}}{{2}} \\log q(x) left as a list item</li></ul>
<div class="klbook-explorer"><label for="dead">dead slider</label><input id="dead" type="range" min="0" max="4" value="1">
<svg viewBox="0 0 10 10"><path d="M0 0L5 5"></path></svg><p>D = 0.123</p></div>
<div class="klbook-explorer"><label for="live">live slider</label><input id="live" type="range" min="0" max="4" value="1"
 oninput="this.parentNode.querySelector('p').textContent = 'D = ' + this.value"><p>D = 1</p></div>
<p><span class="math">\\(y\\)</span></p>
<a href="missing.html">a page that is not there</a> <a href="#nowhere">an anchor that is not there</a>
<img src="../_images/missing.png" alt="A figure whose file is missing.">
<img src="{PIXEL}" alt="../_images/plot.png">
<div style="width: 900px">a block wider than a phone</div>
<div style="overflow-x: auto"><img src="{PIXEL}" style="width: 700px; height: 20px"
 alt="A figure wider than a phone, in a box that scrolls sideways."></div>
<script type="application/vnd.jupyter.widget-state+json">{{"version_major": 2, "version_minor": 0,
 "state": {{"abc": {{"model_name": "FloatSliderModel", "model_module": "@jupyter-widgets/controls",
 "model_module_version": "2.0.0", "state": {{}}}}}}}}</script>
<script type="application/vnd.jupyter.widget-view+json">{{"version_major": 2, "version_minor": 0, "model_id": "abc"}}</script>
</article></body></html>
"""


@pytest.fixture(scope="module")
def broken_views(browser, tmp_path_factory):
    site = tmp_path_factory.mktemp("broken-site")
    (site / "chapters").mkdir()
    (site / "chapters" / "bad.html").write_text(BROKEN_PAGE)
    with serve(site) as base_url:
        opener = SiteBrowser(browser, base_url, site, site / "shots", settle_timeout_ms=1500)
        try:
            yield {v: opener.open("chapters/bad.html", v) for v in ("desktop", "phone")}
        finally:
            opener.close()


def joined(problems):
    return "\n".join(problems)


def test_console_check_catches_errors_and_external_requests(broken_views):
    found = joined(checks.console_problems(broken_views["desktop"]))
    assert "uncaught exception: Cannot read properties of undefined (reading 'call')" in found
    assert "request left the machine (refused): https://cdn.example.invalid/lib.js" in found
    assert "404" in found and "missing.png" in found


def test_link_check_catches_missing_pages_and_anchors(broken_views):
    found = joined(checks.link_problems(broken_views["desktop"]))
    assert "missing chapters/missing.html" in found
    assert "no element with id 'nowhere'" in found
    assert "missing _images/missing.png" in found


def test_math_check_catches_raw_and_untypeset_tex(broken_views):
    found = joined(checks.math_problems(broken_views["desktop"]))
    assert "raw TeX left in the text" in found and "$$x^2$$" in found
    assert "frac{1}{2}" in found and "log q(x) left as a list item" in found
    assert "formula not typeset" in found


def test_image_check_catches_unloaded_images_and_filename_alts(broken_views):
    found = joined(checks.image_problems(broken_views["desktop"]))
    assert "<img src='../_images/missing.png'> did not load" in found
    assert "no descriptive alt text (alt='../_images/plot.png')" in found


def test_control_check_catches_a_dead_control(broken_views):
    found = joined(checks.control_problems(broken_views["desktop"]))
    assert "dead control: input[range] 'dead slider'" in found
    assert "'live slider'" not in found
    assert "ipywidgets views or scripts on a page with no kernel" in found


def test_overflow_check_catches_a_wide_block(broken_views):
    found = joined(checks.overflow_problems(broken_views["phone"], PHONE_WIDTH))
    assert "the page is 908 px wide in a 390 px viewport" in found
    assert "div (right edge 908 px)" in found


def test_fit_check_catches_a_figure_wider_than_the_column(broken_views):
    found = joined(checks.image_fit_problems(broken_views["phone"], PHONE_WIDTH))
    assert 'img "A figure wider than a phone, in a box that scrolls sideways."' in found
    # ...which the page-level overflow check cannot see: its box scrolls.
    assert "img" not in joined(checks.overflow_problems(broken_views["phone"], PHONE_WIDTH))
