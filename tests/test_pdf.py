"""The book as one PDF (``make pdf``, tools/build_pdf.py), read back and checked.

Reads ``_build/html/klbook.pdf`` (or ``$KLBOOK_PDF``) and compares it with the
built website it was printed from (``_build/html`` or ``$KLBOOK_SITE_DIR``):
what a reader must find in it is taken from the pages' HTML, not from the tool
that made the PDF. A missing PDF fails every test here with the command to
run; nothing is skipped.

Text comes from pypdf. Typeset math is drawn with MathJax's web fonts and has
no extractable text, so titles and sentences are compared outside their math.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import build_pdf  # tools/ is on pytest's pythonpath
from browser.checks import RAW_TEX_WORDS

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("KLBOOK_SITE_DIR", ROOT / "_build" / "html")).resolve()
PDF = Path(os.environ.get("KLBOOK_PDF", SITE / build_pdf.PDF_NAME))
ENTRIES = build_pdf.toc_entries(ROOT)

#: Text that a page shows only when something was left unresolved: Sphinx's and
#: LaTeX's unknown references, MathJax's errors, MyST roles printed as text, the
#: explorers' no-JavaScript fallback, TeX delimiters left untypeset.
UNRESOLVED = re.compile(
    r"\?\?|undefined label|undefined reference|Undefined control sequence|Math input error|"
    r"Missing (argument|open brace|close brace)|\{(ref|numref|eq|doc|glue(:\w+)?|cite|download)\}`|"
    r"This interactive figure is drawn by JavaScript|\\\(|\\\)|\\\[|\\\]|\$\$")


def norm(text: str) -> str:
    """NFKC (ligatures, no-break spaces), one space for any run of white space; a word
    broken after its hyphen at the end of a line ("alpha-" / "divergence") is joined."""
    text = re.sub(r"-[ \t]*\n\s*", "-", unicodedata.normalize("NFKC", text))
    return re.sub(r"\s+", " ", text).strip()


def outside_math(element) -> list[str]:
    """The element's text runs between its math (and without its permalink sign)."""
    element = BeautifulSoup(str(element), "html.parser")
    for extra in element.select(".headerlink"):
        extra.decompose()
    for math in element.select(".math"):
        math.replace_with("\x00")
    return [norm(run) for run in element.get_text().split("\x00") if norm(run)]


@dataclass
class SitePage:
    """What the built website's page shows, read from its HTML."""

    doc: str
    html: BeautifulSoup

    @cached_property
    def article(self):
        return self.html.select_one("article.bd-article")

    @property
    def title(self) -> str:
        return " ".join(outside_math(self.article.find("h1")))

    @property
    def sections(self) -> list[list[str]]:
        return [outside_math(h2) for h2 in self.article.select("section > h2")]

    @property
    def solutions(self):
        return self.article.select("div.solution")

    @property
    def explorer_titles(self) -> list[str]:
        return [norm(json.loads(e["data-config"])["title"]) for e in self.article.select(".klbook-explorer")]

    @property
    def numbers(self) -> list[str]:
        """Figure and equation numbers as the website prints them ("Fig. 3.3", "(2.1)")."""
        # The span's own text: an equation number carries a "#" permalink (hidden in print).
        return [norm("".join(span.find_all(string=True, recursive=False)))
                for span in self.article.select("span.caption-number, span.eqno")]

    @property
    def figures(self) -> set[str]:
        return {img["src"] for img in self.article.select("img[src]") if "_images/" in img["src"]}


@dataclass
class Book:
    """The PDF as read back: text and page label of each page, bookmarks, contents."""

    reader: object

    @cached_property
    def texts(self) -> list[str]:
        return [page.extract_text() for page in self.reader.pages]

    @cached_property
    def labels(self) -> list[str]:
        return list(self.reader.page_labels)

    @property
    def first_body_page(self) -> int:
        return self.labels.index("1")

    def index_of_label(self, label: str) -> int:
        if label not in self.labels:
            pytest.fail(f"the contents name page {label}, which the PDF does not have")
        return self.labels.index(label)

    @cached_property
    def bookmarks(self) -> list[tuple[int, str, int]]:
        """(depth, title, page index) of every bookmark, in order."""
        out = []

        def walk(items, depth):
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    out.append((depth, item.title, self.reader.get_destination_page_number(item)))

        walk(self.reader.outline, 0)
        return out

    @cached_property
    def contents(self) -> list[tuple[str, str]]:
        """(title, printed page number) of each entry of the table of contents."""
        lines = []
        for text in self.texts[: self.first_body_page]:
            lines += [norm(line) for line in text.splitlines() if norm(line)]
        if "Contents" not in lines:
            pytest.fail("no page headed 'Contents' before page 1")
        captions = {e.part.upper() for e in ENTRIES if e.part}
        entries, pending = [], ""
        for line in lines[lines.index("Contents") + 1:]:
            if re.fullmatch(r"[ivxl]+", line) or line in captions:
                continue  # a front-matter page number, a part caption
            match = re.fullmatch(r"(.*\S)\s+(\d+)", f"{pending} {line}".strip())
            if match:
                entries.append((match[1], match[2]))
                pending = ""
            else:
                pending = f"{pending} {line}".strip()  # a title that wrapped onto the next line
        return entries

    def range_of(self, doc_index: int) -> range:
        """Page indices of the toc page ``doc_index`` (from its bookmark to the next page's)."""
        starts = self.page_starts
        end = starts[doc_index + 1] if doc_index + 1 < len(starts) else len(self.texts)
        return range(starts[doc_index], end)

    @cached_property
    def page_starts(self) -> list[int]:
        titles = [site_page(e.doc).title for e in ENTRIES]
        found = {}
        for _depth, title, index in self.bookmarks:
            found.setdefault(norm(title), index)
        missing = [t for t in titles if norm(t) not in found]
        if missing:
            pytest.fail(f"no bookmark for the toc pages {missing}")
        return [found[norm(t)] for t in titles]

    def text_of(self, pages: range) -> str:
        return norm(" ".join(self.texts[i] for i in pages))


_SITE_PAGES: dict[str, SitePage] = {}


def site_page(doc: str) -> SitePage:
    if doc not in _SITE_PAGES:
        path = SITE / f"{doc}.html"
        if not path.is_file():
            pytest.fail(f"{path} is missing: run `make book` first")
        _SITE_PAGES[doc] = SitePage(doc, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
    return _SITE_PAGES[doc]


@pytest.fixture(scope="module")
def book() -> Book:
    if not PDF.is_file():
        pytest.fail(f"{PDF} is missing: run `make pdf` after `make book` (make test does both)")
    from pypdf import PdfReader

    return Book(PdfReader(PDF))


def test_every_toc_page_is_in_the_pdf_with_front_matter(book):
    body = len(book.texts) - book.first_body_page
    assert book.first_body_page >= 2, "expected a title page and a table of contents before page 1"
    assert body > len(ENTRIES), f"{body} printed pages for {len(ENTRIES)} pages of _toc.yml"


def test_page_numbers_printed_match_the_page_labels(book):
    """Front matter i, ii, ...; the book 1, 2, ...; each number printed at the page's foot."""
    n_front = book.first_body_page
    assert book.labels[:n_front] == [build_pdf._roman(i + 1) for i in range(n_front)]
    assert book.labels[n_front:] == [str(i + 1) for i in range(len(book.texts) - n_front)]
    wrong = [label for text, label in zip(book.texts[1:], book.labels[1:])
             if not text.rstrip().endswith(label)]
    assert wrong == [], f"pages whose printed number is not their label: {wrong[:10]}"


def test_bookmarks_name_every_toc_page_in_reading_order_and_land_on_its_title(book):
    named = [norm(title) for _depth, title, _index in book.bookmarks]
    expected = [site_page(e.doc).title for e in ENTRIES]
    missing = [t for t in expected if t not in named]
    assert missing == [], f"toc pages without a bookmark: {missing}"
    assert book.page_starts == sorted(book.page_starts), "bookmarks out of reading order"
    assert len(set(book.page_starts)) == len(book.page_starts), "two toc pages start on one PDF page"
    for title, index in zip(expected, book.page_starts):
        assert norm(book.texts[index]).startswith(title), (
            f"bookmark {title!r} goes to page {book.labels[index]}, which does not start with it")


def test_chapter_numbers_are_the_websites(book):
    """Numbered chapters and their sections, as the website numbers them (3., 3.1., 3.6.)."""
    numbered = [site_page(e.doc).title for e in ENTRIES if re.match(r"\d+\.", site_page(e.doc).title)]
    assert len(numbered) >= len([e for e in ENTRIES if e.part == "Chapters"]), numbered
    chapters = [t for t in numbered if re.match(r"\d+\. ", t)]
    assert [int(t.split(".")[0]) for t in chapters] == list(range(1, len(chapters) + 1)), chapters
    named = {norm(title) for _depth, title, _index in book.bookmarks}
    for entry in ENTRIES:
        for section in site_page(entry.doc).sections:
            assert any(all(run in title for run in section) for title in named), (
                f"{entry.doc}: no bookmark for the section {section}")


def test_table_of_contents_numbers_point_at_the_titles(book):
    contents = book.contents
    by_title = {}
    for title, number in contents:
        by_title.setdefault(title, number)
    for entry, index in zip(ENTRIES, book.page_starts):
        title = site_page(entry.doc).title
        assert title in by_title, f"{title!r} is not in the table of contents"
        assert by_title[title] == book.labels[index], (
            f"contents: {title!r} on page {by_title[title]}, but it starts on page {book.labels[index]}")
    # Sections: each entry's number names the page that shows the section's heading.
    for entry in ENTRIES:
        for runs in site_page(entry.doc).sections:
            hits = [(t, n) for t, n in contents if all(run in t for run in runs)]
            assert hits, f"{entry.doc}: section {runs} is not in the table of contents"
            title, number = hits[0]
            page = norm(book.texts[book.index_of_label(number)])
            assert all(run in page for run in runs), (
                f"contents: {title!r} on page {number}, which does not show that heading")


def test_every_figure_and_explorer_is_printed(book):
    """Each page's figures (as images, with their numbers), equation numbers and explorers."""
    for i, entry in enumerate(ENTRIES):
        page, pages = site_page(entry.doc), book.range_of(i)
        text = book.text_of(pages)
        for number in page.numbers:
            assert number in text, f"{entry.doc}: {number!r} is not in the PDF"
        for title in page.explorer_titles:
            assert title in text, f"{entry.doc}: the explorer {title!r} is not in the PDF"
        images = set()
        for index in pages:
            images |= _images(book.reader.pages[index].get("/Resources"))
        assert len(images) >= len(page.figures), (
            f"{entry.doc}: {len(page.figures)} figures on the website, {len(images)} images in the PDF")


def _images(resources, seen=None) -> set[int]:
    """Image XObjects drawn on a page, also inside its form XObjects."""
    found = set()
    seen = set() if seen is None else seen
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    for ref in (xobjects.get_object().values() if xobjects is not None else []):
        obj = ref.get_object()
        key = ref.idnum if hasattr(ref, "idnum") else id(obj)
        if key in seen:
            continue
        seen.add(key)
        if obj.get("/Subtype") == "/Image":
            found.add(key)
        elif obj.get("/Subtype") == "/Form":
            found |= _images(obj.get("/Resources"), seen)
    return found


def test_every_solution_is_unfolded_and_printed(book):
    pages_with_solutions = 0
    for i, entry in enumerate(ENTRIES):
        solutions = site_page(entry.doc).solutions
        if not solutions:
            continue
        pages_with_solutions += 1
        text = book.text_of(book.range_of(i))
        assert text.count("Solution to") == len(solutions), (
            f"{entry.doc}: {len(solutions)} solutions on the website, "
            f"{text.count('Solution to')} in the PDF")
        for solution in solutions:
            body = solution.select_one("section") or solution
            prose = BeautifulSoup(str(body), "html.parser")
            code = [norm(line) for pre in prose.select("pre") for line in pre.get_text().splitlines()]
            for block in prose.select("div.highlight, .cell_output, pre"):
                block.decompose()  # code is looked for line by line: it wraps differently on paper
            longest = max(outside_math(prose), key=len, default="")
            if len(longest) < 12:  # a solution in formulas and code: its first line of code
                longest = next((line for line in code if len(line) >= 8), longest)
            assert len(longest) >= 8, f"{entry.doc}: nothing to look for in {solution.get('id')}"
            # Its first and last few words: a sentence may run across a page break.
            words = longest.split()
            samples = {" ".join(words[:6]), " ".join(words[-6:])}
            assert any(sample in text for sample in samples), (
                f"{entry.doc}: {solution.get('id')} is not printed (looked for {sorted(samples)})")
    assert pages_with_solutions >= 1, "no exercises page with solutions found on the website"


def test_no_raw_tex_and_no_unresolved_reference(book):
    problems = []
    for label, text in zip(book.labels, book.texts):
        for pattern in (RAW_TEX_WORDS, UNRESOLVED):
            for match in pattern.finditer(text):
                start = text.rfind("\n", 0, match.start()) + 1
                problem = f"page {label}: {text[start:start + 100]!r}"
                if problem not in problems:
                    problems.append(problem)
    assert problems == [], "\n".join(problems[:20])


def test_links_stay_inside_the_pdf_or_leave_the_machine(book):
    """No link points at the 127.0.0.1 server the pages were printed from."""
    local = []
    for label, page in zip(book.labels, book.reader.pages):
        for annot in page.get("/Annots", []) or []:
            action = annot.get_object().get("/A")
            uri = str(action.get_object().get("/URI", "")) if action is not None else ""
            if re.match(r"https?://(127\.0\.0\.1|localhost)", uri):
                local.append(f"page {label}: {uri}")
    assert local == [], local[:10]
