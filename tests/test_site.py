"""The built website as files: budget, links, buttons, Binder entry point.

Reads ``_build/html`` (``make book``; ``make test`` builds it first), or
``$KLBOOK_SITE_DIR``. The browser-level checks live in tests/browser/.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("KLBOOK_SITE_DIR", ROOT / "_build" / "html")).resolve()
REPOSITORY = "https://github.com/klbook/klbook"
BINDER = "https://mybinder.org/v2/gh/klbook/klbook/main"


def _load_tool(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


site_check = _load_tool("site_check")


@pytest.fixture(scope="module")
def site():
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site in {SITE}: run `make book` first")
    return SITE


def toc_files(toc: dict) -> list[str]:
    """Every document of _toc.yml (root first), as written there (no suffix)."""
    found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return [re.sub(r"\.(md|ipynb)$", "", f) for f in found]


@pytest.fixture(scope="module")
def toc():
    return yaml.safe_load((ROOT / "_toc.yml").read_text())


def test_pages_under_budget_and_internal_links_resolve(site):
    report = site_check.check_site(site)
    site_check.write_reports(report, site.parent / "site-report")
    assert report.broken == [], "\n".join(report.broken)
    over = [f"{w['page']}: {w['total']:,} bytes" for w in report.over_budget]
    assert over == [], f"pages at or over {site_check.BUDGET_BYTES:,} bytes: {over}"


def test_site_check_flags_what_it_must(tmp_path):
    """The checker itself: a broken link, a missing #id and a heavy page are caught."""
    html = tmp_path / "html"
    (html / "chapters").mkdir(parents=True)
    (html / "_images").mkdir()
    (html / "_images" / "big.png").write_bytes(b"\0" * site_check.BUDGET_BYTES)
    (html / "index.html").write_text('<a href="chapters/a.html#there">a</a>')
    (html / "chapters" / "a.html").write_text(
        '<h1 id="there">A</h1><a href="b.html">missing page</a><a href="#nowhere">x</a>'
        '<img src="../_images/big.png" alt="heavy"><a href="https://example.org/x">out</a>'
        '<script src="https://cdn.example.org/lib.js"></script>'
        '<div class="klbook-explorer" data-app="glance" data-needs-data="yes"></div>'
    )
    report = site_check.check_site(html)
    assert len(report.broken) == 4, report.broken
    assert any("'https://cdn.example.org/lib.js'> loads from outside the site" in b for b in report.broken)
    assert any("explorer 'glance' has no data file _static/explorers/glance.js" in b for b in report.broken)
    assert any("missing chapters/b.html" in b for b in report.broken)
    assert any("no id 'nowhere'" in b for b in report.broken)
    assert [w["page"] for w in report.over_budget] == ["chapters/a.html"]
    assert report.external == {"https://example.org/x": ["chapters/a.html"]}
    assert not report.ok


def test_every_toc_document_is_built_and_nothing_else(site, toc):
    documents = toc_files(toc)
    missing = [d for d in documents if not (site / f"{d}.html").is_file()]
    assert missing == [], f"in _toc.yml but not built: {missing}"
    built = {p.relative_to(site).with_suffix("").as_posix() for p in site.glob("chapters/**/*.html")}
    extra = sorted(built - set(documents))
    assert extra == [], f"built but not in _toc.yml (only_build_toc_files): {extra}"


def numbered_documents(toc: dict) -> list[str]:
    """Documents that _toc.yml numbers: those under `numbered: true` (top-level or per part)."""
    found = []

    def walk(node, numbered):
        if isinstance(node, dict):
            numbered = numbered or bool(node.get("numbered") or node.get("options", {}).get("numbered"))
            if "file" in node and numbered:
                found.append(re.sub(r"\.(md|ipynb)$", "", node["file"]))
            for key, value in node.items():
                if key != "root":
                    walk(value, numbered)
        elif isinstance(node, list):
            for item in node:
                walk(item, numbered)

    walk(toc, False)
    return found


def test_chapters_are_numbered(site, toc):
    """The chapters carry their numbers (parts or the whole book with `numbered: true`)."""
    documents = numbered_documents(toc)
    assert documents, "no chapter is numbered: set `numbered: true` in _toc.yml"
    unnumbered = []
    for doc in documents:
        title = re.search(r"<title>(.*?)</title>", (site / f"{doc}.html").read_text(), re.S)
        if not (title and re.match(r"\s*\d+(\.\d+)*\.?\s", title.group(1))):
            unnumbered.append(f"{doc}: {title.group(1).strip() if title else None!r}")
    assert unnumbered == [], f"numbered in _toc.yml but no number on the page: {unnumbered}"


def test_binder_opens_jupyterlab_on_the_intro(site, toc):
    """The intro page's Binder button starts JupyterLab on the intro notebook itself.

    repo2docker has no setting for a start page: Binder opens what the launch
    URL's ``urlpath`` names, so the intro must be a notebook and its launch
    button must point at it (``lab/tree/<intro>.ipynb``).
    """
    root = toc_files(toc)[0]
    assert (ROOT / f"{root}.ipynb").is_file(), (
        f"the intro ({root}) must be a notebook, {root}.ipynb, for Binder to open it in JupyterLab"
    )
    html = (site / f"{root}.html").read_text()
    assert f"{BINDER}?urlpath=lab/tree/{root}.ipynb" in html


def test_notebook_pages_have_launch_and_download_buttons(site, toc):
    """Binder, live code (Thebe), repository, issue and .ipynb download buttons."""
    problems = []
    notebooks = [d for d in toc_files(toc) if (ROOT / f"{d}.ipynb").is_file()]
    for doc in notebooks:
        html = (site / f"{doc}.html").read_text()
        depth = "../" * doc.count("/")
        expected = {
            "Binder": f"{BINDER}?urlpath=lab/tree/{doc}.ipynb",
            "live code": "initThebeSBT()",
            "repository": f'href="{REPOSITORY}"',
            "issue": f"{REPOSITORY}/issues/new",
            "download .ipynb": f'href="{depth}_sources/{doc}.ipynb"',
        }
        problems += [f"{doc}: no {name} button ({needle})" for name, needle in expected.items()
                     if needle not in html]
        if not (site / "_sources" / f"{doc}.ipynb").is_file():
            problems.append(f"{doc}: the .ipynb offered for download is missing")
    assert problems == [], "\n".join(problems)


def test_theme_and_extensions_configured(site, toc):
    """Light default mode (no 'invalid theme mode' error), one Thebe config, MathJax 3, exercises ready."""
    problems = []
    for doc in toc_files(toc):
        html = (site / f"{doc}.html").read_text()
        if 'getItem("mode") || "light"' not in html:
            problems.append(f"{doc}: no light default mode")
        if html.count("const THEBE_JS_URL") != 1:
            problems.append(f"{doc}: Thebe's configuration script appears {html.count('const THEBE_JS_URL')} times")
        # Sphinx adds MathJax only to pages with math.
        # ...from the site itself (_static/mathjax, copied from the pinned npm package).
        if 'class="math' in html and not re.search(r'<script[^>]+src="[^"]*_static/mathjax/tex-mml-chtml\.js', html):
            problems.append(f"{doc}: has math but does not load MathJax 3 from _static")
        if re.search(r'<(script|link)[^>]+(src|href)="https?://', html):
            problems.append(f"{doc}: loads a script or style sheet from the network")
    assert problems == [], "\n".join(problems)
    assert (site / "_static" / "exercise.css").is_file(), "sphinx-exercise is not loaded"


def test_every_page_has_a_description_favicon_and_social_card(site, toc):
    """What browser tabs, search engines and link previews show (_ext/klbook_site.py)."""
    problems = []
    for doc in toc_files(toc):
        html = (site / f"{doc}.html").read_text()
        description = re.search(r'<meta name="description" content="([^"]{40,})" />', html)
        if not description:
            problems.append(f"{doc}: no meta description")
        image = re.search(r'<meta property="og:image" content="([^"]+)" />', html)
        if not image or not (site / doc).parent.joinpath(image.group(1)).resolve().is_file():
            problems.append(f"{doc}: og:image missing or pointing nowhere ({image and image.group(1)})")
        for prop in ("og:title", "og:description", "og:image:alt"):
            if f'<meta property="{prop}" content="' not in html:
                problems.append(f"{doc}: no {prop}")
        icon = re.search(r'<link rel="icon" href="([^"]+)"', html)
        if not icon or not (site / doc).parent.joinpath(icon.group(1)).resolve().is_file():
            problems.append(f"{doc}: favicon missing or pointing nowhere")
    assert problems == [], "\n".join(problems)


def test_page_description_is_the_opening_plain_prose():
    from docutils import nodes
    from docutils.utils import new_document
    from docutils.frontend import get_default_settings

    sys.path.insert(0, str(ROOT / "_ext"))
    try:
        import klbook_site
    finally:
        sys.path.remove(str(ROOT / "_ext"))

    def page(*paragraphs):
        doc = new_document("page", get_default_settings())
        for p in paragraphs:
            doc += p
        return doc

    sentence = "Forward KL D(P||Q) takes its expectation under the target P, the data."
    with_math = nodes.paragraph("", "The divergence ", nodes.math("", "D(P\\|Q)"), nodes.Text(" is zero exactly when P = Q."))
    note = nodes.note("", nodes.paragraph("", "A note that is long enough to be a description of the page."))
    assert klbook_site.page_description(page(note, with_math, nodes.paragraph("", sentence))) == sentence
    assert klbook_site.page_description(page(nodes.paragraph("", "Too short."))) == ""
    assert klbook_site.page_description(page(nodes.paragraph("", "A lead-in to the formula below, which is long enough to count, though:"))) == ""
    # Only the opening paragraphs describe the page.
    assert klbook_site.page_description(page(*[with_math] * 3, nodes.paragraph("", sentence))) == ""
    long = klbook_site.page_description(page(nodes.paragraph("", sentence * 4)))
    assert len(long) <= klbook_site.DESCRIPTION_CHARS and long.endswith("…")
