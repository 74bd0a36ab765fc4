"""The Korean edition as built (issue 14): twins, language, links, same numbers, no English left.

Reads ``_build/html`` and ``_build/html/ko`` (``make book``). The browser checks
(every page, both viewports, axe) cover the Korean pages too: they discover
pages from the built site, ``ko/`` included.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from test_site import toc_files

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("KLBOOK_SITE_DIR", ROOT / "_build" / "html")).resolve()
KO = SITE / "ko"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+")
ENGLISH_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def toc_pages():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [Path(f).with_suffix(".html").as_posix() for f in toc_files(toc)]


PAGES = toc_pages()


def _soup(path):
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make book` (it builds both editions)")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _article(soup):
    article = soup.select_one("article.bd-article") or soup.body
    for junk in article.select("script, style, .MathJax, mjx-container, .math, .highlight, .headerlink, "
                               ".klbook-lang-switch"):
        junk.decompose()
    return article


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_a_korean_twin_linked_both_ways(page):
    en, ko = _soup(SITE / page), _soup(KO / page)
    assert en.html.get("lang") == "en" and ko.html.get("lang") == "ko"
    depth = page.count("/")
    to_ko = en.select_one(".klbook-lang-switch a")
    to_en = ko.select_one(".klbook-lang-switch a")
    assert to_ko["href"] == "../" * depth + "ko/" + page and to_ko["hreflang"] == "ko"
    assert to_en["href"] == "../" * (depth + 1) + page and to_en["hreflang"] == "en"
    assert (SITE / page).parent.joinpath(to_ko["href"]).resolve() == (KO / page).resolve()
    assert (KO / page).parent.joinpath(to_en["href"]).resolve() == (SITE / page).resolve()
    assert en.find("link", rel="alternate", hreflang="ko") and ko.find("link", rel="alternate", hreflang="en")


@pytest.mark.parametrize("page", PAGES)
def test_korean_page_shows_the_same_computed_numbers(page):
    """Every decimal number of the English page (glued results, explorer data, quiz
    feedback, printed outputs) is on the Korean twin as often, and no other."""
    en = Counter(DECIMAL.findall(_article(_soup(SITE / page)).get_text(" ")))
    ko = Counter(DECIMAL.findall(_article(_soup(KO / page)).get_text(" ")))
    assert en == ko, f"only in English: {dict(en - ko)}; only in Korean: {dict(ko - en)}"


@pytest.mark.parametrize("page", PAGES)
def test_korean_prose_is_korean(page):
    """No paragraph, heading, caption or list item of the Korean page is left in
    English (code, outputs, math and bibliographic titles aside)."""
    article = _article(_soup(KO / page))
    for node in article.select(".cell_output, .output, pre, code, .bibliography, cite"):
        node.decompose()
    left = []
    for node in article.find_all(["p", "h1", "h2", "h3", "figcaption", "th", "td", "dt", "summary"]):
        text = node.get_text(" ", strip=True)
        if len(ENGLISH_WORD.findall(text)) >= 4 and not HANGUL.search(text):
            left.append(text[:100])
    assert not left, f"{len(left)} English passage(s) on ko/{page}: {left[:5]}"


@pytest.mark.parametrize("page", PAGES)
def test_korean_figures_are_the_korean_drawings(page):
    """Each figure of the Korean page is a different image than its English twin's
    (drawn with Korean words), with Korean alt text."""
    en = [img for img in _article(_soup(SITE / page)).find_all("img") if "_images/" in img.get("src", "")]
    ko = [img for img in _article(_soup(KO / page)).find_all("img") if "_images/" in img.get("src", "")]
    assert len(en) == len(ko)
    for e, k in zip(en, ko):
        assert Path(e["src"]).name != Path(k["src"]).name, f"ko/{page} shows the English drawing {e['src']}"
        if e.get("alt"):
            assert HANGUL.search(k.get("alt", "")), f"ko/{page}: alt text not translated: {k.get('alt', '')[:80]}"


def test_korean_sidebar_captions_and_titles_are_korean():
    """The part captions of the sidebar (inserted by sphinx-external-toc after Sphinx
    translates a page) and the book's title are translated too."""
    soup = _soup(KO / "chapters" / "reverse-kl.html")
    captions = [c.get_text(strip=True) for c in soup.select("nav .caption-text, nav p.caption")]
    assert captions and all(HANGUL.search(c) for c in captions), captions
    english = _soup(SITE / "chapters" / "reverse-kl.html")
    assert [c.get_text(strip=True) for c in english.select("nav .caption-text, nav p.caption")][0] == "Chapters"


NOTEBOOKS = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))


def _cells(path):
    import json

    notebook = json.loads(path.read_text(encoding="utf-8"))
    return notebook, [("".join(c["source"]) if isinstance(c["source"], list) else c["source"], c)
                      for c in notebook["cells"]]


@pytest.mark.parametrize("page", NOTEBOOKS)
def test_korean_notebook_has_the_same_code_and_korean_prose(page):
    """The Korean page's download is a Korean notebook: same cells and code as the English
    one, Korean Markdown on every cell the page shows, figures drawn with Korean words."""
    import nbformat

    path = KO / "_sources" / "chapters" / f"{page}.ipynb"
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make book`")
    nbformat.validate(nbformat.read(path, as_version=4))
    _, english = _cells(ROOT / "chapters" / f"{page}.ipynb")
    _, korean = _cells(path)
    # One cell more, first: it makes the live apps and figures speak Korean when run.
    (first, first_cell), korean = korean[0], korean[1:]
    assert first_cell["metadata"].get("klbook") == "language"
    assert first.endswith('klbook.i18n.set_language("ko")') or first.endswith("klbook.i18n.set_language('ko')")
    assert [c["cell_type"] for _, c in english] == [c["cell_type"] for _, c in korean]
    for (en_source, en_cell), (ko_source, ko_cell) in zip(english, korean):
        if en_cell["cell_type"] == "code":
            assert ko_source == en_source
            en_png = [o["data"]["image/png"] for o in en_cell.get("outputs", []) if "image/png" in o.get("data", {})]
            ko_png = [o["data"]["image/png"] for o in ko_cell.get("outputs", []) if "image/png" in o.get("data", {})]
            assert len(en_png) == len(ko_png) and not set(en_png) & set(ko_png)
        else:
            shown = "remove-cell" not in en_cell["metadata"].get("tags", []) and \
                en_cell["metadata"].get("slideshow", {}).get("slide_type") != "notes"
            prose = len(ENGLISH_WORD.findall(re.sub(r"\$[^$]*\$|`[^`]*`|\{\w+\}", " ", en_source))) >= 3
            if shown and prose:
                assert HANGUL.search(ko_source), f"{page}: a Markdown cell stayed English: {en_source[:80]!r}"
            elif not shown:
                assert ko_source == en_source
