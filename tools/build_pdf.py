#!/usr/bin/env python3
"""The whole book as one PDF: ``make pdf`` writes ``_build/html/klbook.pdf``.

Route: Chromium prints the built website. The pages already carry everything
a printed book needs: MathJax typesets the equations (served from
``_static``), the kernel-free explorers draw their SVG with their controls at
the default settings, and every figure is an image. Jupyter Book's LaTeX
builder would need TeX Live (a large apt install on every fresh machine, and
minutes of ``xelatex`` per build) and would lose the explorers, which are
HTML and JavaScript. Printing the pages takes about half a minute on two cores.

Steps:

1. The pages of ``_toc.yml`` in reading order (the intro, each chapter
   followed by its exercises, the references, the instructor's guide) are
   served from 127.0.0.1 by a thread of this process; Debian's Chromium
   (headless, driven by Playwright) opens them, two tabs at a time, and
   refuses every request that would leave 127.0.0.1.
2. On each page: wait for MathJax's typesetting, the fonts, the images and
   the explorers (``data-ready="yes"``); unfold every solution and
   ``<details>``; hide the site's chrome (header, sidebars, search, launch
   buttons, previous/next links) with the print style sheet below; print it
   (A4, the page's numbered title as the running head).
3. A title page and a table of contents with page numbers (printed last,
   once the pages are counted) come first, numbered i, ii, ...; the book's
   pages are numbered 1, 2, ... (stamped at the foot of each page, and the
   same numbers as the PDF's page labels).
4. Bookmarks: every page (numbered as on the website, "3." and "3.6."), and
   its sections (h2) under it, land on the heading. Links between pages (and
   the table of contents' entries) become links inside the PDF; links to
   parts of the site that are not in the PDF (slide decks, notebooks) become
   relative to the PDF, which the website serves from its root.

It prints the page count, the size and the build time, and exits 1 if a page
raised an error, asked for a missing file, or tried to leave 127.0.0.1.
tests/test_pdf.py reads the PDF back and checks it against the website.

Usage: python tools/build_pdf.py [--site _build/html] [--out SITE/klbook.pdf] [--root .]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import io
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag

import yaml

from klbook_browser import launch, missing_chromium, serve  # tools/: Debian's Chromium, its flags, the local server

ROOT = Path(__file__).resolve().parents[1]
PDF_NAME = "klbook.pdf"
#: Tabs printing at once: the machines that build the book have two cores.
TABS = 2
LOAD_TIMEOUT_MS = 60_000
PAPER = {"format": "A4", "margin": {"top": "18mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}}
# The printed area of an A4 page with those margins, in CSS pixels (96 per inch): the
# tabs lay pages out at this width, so what is measured there is what is printed.
PRINT_AREA_PX = {"width": round((210 - 2 * 14) / 25.4 * 96), "height": round((297 - 2 * 18) / 25.4 * 96)}
#: A block shorter than this part of a page is never split across two pages.
KEEP_WHOLE_BELOW = 0.6
#: The page number's place and size (PDF points, from the lower left corner).
NUMBER_FROM_BOTTOM_PT = 26
NUMBER_SIZE_PT = 9
STAMP_FONT = "/KlbookPageNumber"

# Print rules on top of the theme's own @media print. The theme prints its own
# unnumbered copy of the title and a per-page contents list; the book shows the
# website's numbered heading instead.
PRINT_CSS = """
@media print {
  #jb-print-docs-body, .bd-header, .bd-header-article, .header-article-main,
  .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer, .bd-footer-article,
  .bd-footer-content, .prev-next-area, .search-button, .search-button-field,
  #pst-back-to-top, .skip-link, .headerlink, button.toggle-button, .copybtn,
  .bd-search, .bd-header-announcement, .klbook-lang-switch { display: none !important; }
  .bd-main .bd-content { margin-left: 0 !important; }
  .bd-main .bd-content .bd-article h1:first-of-type { display: block !important; margin-top: 0; }
  .bd-article-container, .bd-article { padding: 0 !important; max-width: none !important; }
  /* Code wraps on paper instead of being cut at the margin. */
  pre, .highlight pre {
    white-space: pre-wrap !important; overflow-wrap: anywhere; overflow: visible !important; }
  div.highlight, .cell_output, .output { overflow: visible !important; }
  /* Unfolded solutions: the toggle's hiding rules, undone. */
  .admonition.toggle-hidden .admonition-title ~ * {
    height: auto !important; opacity: 1 !important; visibility: visible !important; }
  .admonition.toggle .admonition-title { padding-right: 0.6rem; }
  /* The theme keeps every admonition and code block whole, which pushes a long
     solution to the next page and leaves the rest of this one blank. */
  .admonition, div.admonition, div.highlight, div[class*=highlight-] { break-inside: auto !important; }
  .klbook-keep-whole { break-inside: avoid !important; }
  figure, img, .klbook-explorer, .admonition-title, table { break-inside: avoid; }
  /* A code cell stays with the start of its output (a figure, an explorer). */
  .cell_input { break-after: avoid; }
  p, li { orphans: 3; widows: 3; }
  h2, h3, h4, .admonition-title, p.caption { break-after: avoid; }
  a { text-decoration: none !important; }
}
"""

# Wait until the page is drawn, then unfold it and mark its link targets. Returns
# what the bookmarks and the contents need: the numbered title and the sections.
PREPARE_JS = r"""async ([timeoutMs, headingPrefix]) => {
    const deadline = Date.now() + timeoutMs;
    const sleep = ms => new Promise(done => setTimeout(done, ms));
    if (document.querySelector('script[src*="mathjax"]')) {
        while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
            if (Date.now() > deadline) throw new Error('MathJax never started');
            await sleep(50);
        }
        await MathJax.startup.promise;
    }
    for (;;) {
        const explorers = Array.from(document.querySelectorAll('.klbook-explorer'));
        const failed = explorers.filter(e => e.getAttribute('data-ready') === 'failed');
        if (failed.length) {
            throw new Error('explorer failed to draw: ' + failed.map(e => e.dataset.app).join(', '));
        }
        if (explorers.every(e => e.getAttribute('data-ready') === 'yes')) break;
        if (Date.now() > deadline) throw new Error('explorers not drawn: ' +
            explorers.filter(e => e.getAttribute('data-ready') !== 'yes').map(e => e.dataset.app).join(', '));
        await sleep(50);
    }
    // Unfold: sphinx-togglebutton (solutions), <details> (dropdowns, hidden cells).
    const article = document.querySelector('article.bd-article') || document.body;
    article.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
    article.querySelectorAll('.toggle-button-hidden').forEach(
        e => e.classList.remove('toggle-button-hidden'));
    article.querySelectorAll('details').forEach(d => { d.open = true; });
    await document.fonts.ready;
    await Promise.all(Array.from(document.images).map(img => img.complete ? null :
        new Promise(done => { img.addEventListener('load', done); img.addEventListener('error', done); })));
    // A heading's text as read: typeset math becomes its text (MathJax's
    // assistive MathML), the permalink sign goes.
    const plain = (el) => {
        const copy = el.cloneNode(true);
        copy.querySelectorAll('.headerlink').forEach(e => e.remove());
        copy.querySelectorAll('mjx-container').forEach(m => {
            const mml = m.querySelector('mjx-assistive-mml');
            m.replaceWith(document.createTextNode(mml ? mml.textContent : ''));
        });
        return copy.textContent.replace(/\s+/g, ' ').trim();
    };
    const h1 = article.querySelector('h1');
    const sections = Array.from(article.querySelectorAll('section > h2')).map(h => ({
        id: h.parentElement.id, title: plain(h)}));
    // A link to a section lands on its heading: the section's own box may begin at
    // the foot of the page before, when its heading moved on to the next page.
    article.querySelectorAll('section[id]').forEach(section => {
        const heading = section.querySelector(':scope > h1, :scope > h2, :scope > h3, :scope > h4');
        if (heading && !heading.id) heading.id = headingPrefix + section.id;
    });
    // Chromium writes a named destination only for an element that a link on the
    // same page points at: one invisible link to each id keeps them all.
    const ids = Array.from(article.querySelectorAll('[id]')).map(e => e.id).filter(Boolean);
    const anchors = document.createElement('div');
    anchors.setAttribute('aria-hidden', 'true');
    anchors.style.cssText = 'position:absolute;left:0;top:0;width:1px;height:1px;overflow:hidden;opacity:0;';
    for (const id of ids) {
        const a = document.createElement('a');
        a.href = '#' + id;
        a.textContent = '\u200b';
        anchors.appendChild(a);
    }
    article.appendChild(anchors);
    return {title: h1 ? plain(h1) : document.title, sections};
}"""


# Short exercises, solutions, code cells and outputs stay whole on one page; long
# ones may break (the theme keeps all of them whole, leaving pages half empty).
KEEP_JS = r"""(limit) => {
    const blocks = document.querySelectorAll(
        'article .admonition, article div.highlight, article .cell, article .cell_input, ' +
        'article .cell_output');
    for (const el of blocks) {
        if (el.getBoundingClientRect().height < limit) el.classList.add('klbook-keep-whole');
    }
}"""


#: The id given to a section's heading (prefix + the section's id).
HEADING_ID = "klbook-heading-"


@dataclass
class TocEntry:
    """One page of _toc.yml: its document name, nesting depth and part caption."""

    doc: str
    depth: int
    part: str | None = None


@dataclass
class PrintedPage:
    """One page of the website, printed."""

    entry: TocEntry
    title: str
    sections: list[dict]  # {"id": the section's id, "title": its heading as text}
    pdf: bytes
    first: int = 0  # index of its first page in the book's PDF
    reader: object = None
    dests: dict = field(default_factory=dict)  # id -> (page index in the book, top)

    def place(self, frag: str) -> tuple[int, float | None]:
        """(page index in the book, top) of ``#frag``: a section's heading, an element, the page."""
        if frag:
            for name in (HEADING_ID + frag, frag):
                if name in self.dests:
                    return self.dests[name]
        return self.first, None


def _page_name(file: str) -> str:
    """A _toc.yml ``file`` as the built page's name (the suffix is optional there)."""
    return re.sub(r"\.(ipynb|md|rst)$", "", file)


def toc_entries(root: Path = ROOT) -> list[TocEntry]:
    """Every page of ``_toc.yml`` in reading order (root first, sections after their chapter)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    entries = [TocEntry(_page_name(toc["root"]), 0)]

    def walk(items, depth, part):
        for item in items or []:
            if "file" in item:
                entries.append(TocEntry(_page_name(item["file"]), depth, part))
            walk(item.get("sections"), depth + 1, part)

    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        walk(part.get("chapters"), 0, part.get("caption"))
    return entries


def _header(title: str) -> str:
    return (f'<div style="font-size:9px;color:#666;width:100%;margin:0 14mm;text-align:right;'
            f'font-family:sans-serif">{html.escape(title)}</div>')


async def _print_pages(site: Path, entries: list[TocEntry], config: dict, problems: list[str]):
    """Open and print every page (``TABS`` at a time); then the front matter needs the counts."""
    from playwright.async_api import async_playwright

    printed: list[PrintedPage | None] = [None] * len(entries)
    with serve(site) as base:
        async with async_playwright() as playwright:
            browser = await launch(playwright.chromium)
            context = await browser.new_context(viewport=PRINT_AREA_PX,
                                                service_workers="block")
            context.set_default_timeout(LOAD_TIMEOUT_MS)

            async def refuse(route):
                problems.append(f"request left 127.0.0.1 (refused): {route.request.url}")
                await route.abort("blockedbyclient")

            await context.route(lambda url: not url.startswith(base), refuse)
            queue = list(enumerate(entries))

            async def tab():
                page = await context.new_page()
                page.on("pageerror", lambda err: problems.append(f"uncaught exception: {err}"))
                page.on("response",
                        lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
                while queue:
                    index, entry = queue.pop(0)
                    response = await page.goto(base + entry.doc + ".html", wait_until="load")
                    if response is None or not response.ok:
                        raise RuntimeError(f"{entry.doc}.html: HTTP {response.status if response else '-'}")
                    try:
                        info = await page.evaluate(PREPARE_JS, [LOAD_TIMEOUT_MS, HEADING_ID])
                    except Exception as err:  # playwright's Error: the page's own message
                        raise RuntimeError(f"{entry.doc}.html did not get ready to print: {err}") from err
                    await page.add_style_tag(content=PRINT_CSS)
                    await page.emulate_media(media="print")
                    await page.evaluate(KEEP_JS, KEEP_WHOLE_BELOW * PRINT_AREA_PX["height"])
                    pdf = await page.pdf(**PAPER, print_background=True, display_header_footer=True,
                                         header_template=_header(info["title"]),
                                         footer_template="<span></span>")
                    printed[index] = PrintedPage(entry, info["title"], info["sections"], pdf)
                await page.close()

            await asyncio.gather(*(tab() for _ in range(TABS)))
            front = await _print_front_matter(context, base, printed, config)
            await browser.close()
    return printed, front, base


def front_matter_html(config: dict, printed: list[PrintedPage], base: str) -> str:
    """Title page and table of contents; page numbers as printed in the book (1 = first page)."""
    rows, part = [], None
    for p in printed:
        if p.entry.part != part and p.entry.part:
            part = p.entry.part
            rows.append(f'<li class="part">{html.escape(part)}</li>')
        href = html.escape(base + p.entry.doc + ".html")
        rows.append(f'<li class="d{p.entry.depth} page"><a href="{href}"><span class="t">'
                    f'{html.escape(p.title)}</span><span class="n">{p.first + 1}</span></a></li>')
        for s in p.sections:
            page = p.place(s["id"])[0]
            rows.append(f'<li class="d{p.entry.depth + 1} sec"><a href="{href}#{html.escape(s["id"])}">'
                        f'<span class="t">{html.escape(s["title"])}</span>'
                        f'<span class="n">{page + 1}</span></a></li>')
    title = html.escape(config.get("title", "klbook"))
    author = html.escape(config.get("author", ""))
    year = html.escape(str(config.get("copyright", "")))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>
  body {{ font-family: "DejaVu Sans", sans-serif; color: #222; margin: 0; }}
  .title {{ height: 240mm; display: flex; flex-direction: column; justify-content: center;
           text-align: center; break-after: page; }}
  .title h1 {{ font-size: 30pt; font-weight: 500; margin: 0 0 10mm; }}
  .title p {{ font-size: 12pt; margin: 2mm 0; color: #444; }}
  .title .note {{ font-size: 10pt; margin-top: 30mm; color: #555; }}
  h2 {{ font-size: 20pt; font-weight: 500; margin: 0 0 6mm; }}
  ul {{ list-style: none; padding: 0; margin: 0; font-size: 10.5pt; }}
  li {{ break-inside: avoid; }}
  li.part {{ font-weight: 600; margin: 5mm 0 1.5mm; color: #555; font-size: 9.5pt;
            text-transform: uppercase; letter-spacing: .05em; }}
  li a {{ display: flex; color: inherit; text-decoration: none; padding: .6mm 0; }}
  li a .t {{ flex: 1; display: flex; }}
  li a .t::after {{ content: ""; flex: 1; border-bottom: 1px dotted #999; margin: 0 2mm 1.2mm; }}
  li.page {{ break-after: avoid; }}
  li.page.d0 {{ font-weight: 600; margin-top: 2mm; }}
  li.page.d1 {{ font-size: 9.5pt; font-weight: 600; color: #333; }}
  li.d1 {{ padding-left: 8mm; }}
  li.d2 {{ padding-left: 16mm; }}
  li.sec {{ color: #333; font-size: 9.5pt; }}
</style></head><body>
<section class="title"><h1>{title}</h1><p>{author}</p><p>{year}</p>
<p class="note">The printed edition of the website. Every widget and explorer appears as a
static picture at its default settings; the solutions follow their exercises.</p></section>
<section class="toc"><h2>Contents</h2><ul>{''.join(rows)}</ul></section>
</body></html>"""


async def _print_front_matter(context, base: str, printed: list[PrintedPage], config: dict) -> bytes:
    """Count the pages and find the sections, then print the title page and contents."""
    from pypdf import PdfReader

    first = 0
    for p in printed:
        p.reader = PdfReader(io.BytesIO(p.pdf))
        p.first = first
        for name, dest in p.reader.named_destinations.items():
            page = p.reader.get_destination_page_number(dest)
            top = dest.top if dest.get("/Top") is not None else None
            p.dests[name.lstrip("/")] = (first + page, top)
        first += len(p.reader.pages)
    page = await context.new_page()
    # The contents page is not served: it loads nothing (fonts are the system's).
    await page.set_content(front_matter_html(config, printed, base), wait_until="load")
    pdf = await page.pdf(**PAPER, print_background=True)
    await page.close()
    return pdf


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _stamp(writer, page, text: str, font_ref) -> None:
    """Write ``text`` centred at the foot of ``page`` (Helvetica, a standard PDF font)."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    resources = page[NameObject("/Resources")].get_object()
    if "/Font" not in resources:
        resources[NameObject("/Font")] = DictionaryObject()
    resources["/Font"].get_object()[NameObject(STAMP_FONT)] = font_ref
    width = float(page.mediabox.width)
    x = width / 2 - NUMBER_SIZE_PT * 0.556 * len(text) / 2  # Helvetica's digits are 0.556 em wide
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(f"Q\nq BT {STAMP_FONT} {NUMBER_SIZE_PT} Tf 0.33 g {x:.2f} {NUMBER_FROM_BOTTOM_PT} Td "
                   f"({text}) Tj ET Q\n".encode("ascii"))
    contents = page.raw_get("/Contents")  # the reference: a stream must stay an indirect object
    contents = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
    # pypdf's public merge_page would parse every page's content stream to do the same
    # (seconds for the book); _add_object only registers the two small new streams.
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(before), *contents, writer._add_object(after)])


def assemble(printed: list[PrintedPage], front: bytes, base: str, out: Path, config: dict) -> int:
    """Join front matter and pages, number them, add bookmarks and rewrite links; returns pages."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, DictionaryObject, FloatObject, NameObject, NullObject,
                               TextStringObject)
    from pypdf.generic import Fit

    writer = PdfWriter()
    front_reader = PdfReader(io.BytesIO(front))
    n_front = len(front_reader.pages)
    for page in front_reader.pages:
        writer.add_page(page)
    for p in printed:
        for page in p.reader.pages:
            writer.add_page(page)
    by_doc = {p.entry.doc: p for p in printed}
    page_top = float(writer.pages[0].mediabox.top)

    def target(doc: str, frag: str):
        """(page index in the writer, top) of ``doc#frag``, or None if it is not in the book."""
        p = by_doc.get(doc)
        if p is None:
            return None
        index, top = p.place(frag)
        return n_front + index, top if top is not None else page_top

    def dest_array(index: int, top):
        return ArrayObject([writer.pages[index].indirect_reference, NameObject("/XYZ"), NullObject(),
                            FloatObject(top), NullObject()])

    sources = [None] * n_front + [p for p in printed for _ in p.reader.pages]
    for index, page in enumerate(writer.pages):
        source = sources[index]
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annot and source is not None:  # a link within its own web page
                dest = annot["/Dest"]
                name = str(dest).lstrip("/") if not isinstance(dest, ArrayObject) else None
                if name is None:
                    continue
                found = target(source.entry.doc, name)
                if found:
                    annot[NameObject("/Dest")] = dest_array(*found)
                else:
                    del annot["/Dest"]
                continue
            action = annot.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if not uri or not str(uri).startswith(base):
                continue
            url, frag = urldefrag(str(uri)[len(base):])
            doc = url.removesuffix(".html")
            found = target(doc, frag)
            if found:
                del annot["/A"]
                annot[NameObject("/Dest")] = dest_array(*found)
            else:  # a file of the site that the book does not print (a slide deck, a notebook)
                action.get_object()[NameObject("/URI")] = TextStringObject(str(uri)[len(base):])

    font = DictionaryObject({NameObject(key): NameObject(value) for key, value in (
        ("/Type", "/Font"), ("/Subtype", "/Type1"), ("/BaseFont", "/Helvetica"), ("/Encoding", "/WinAnsiEncoding"))})
    font_ref = writer._add_object(font)
    for index, page in enumerate(writer.pages):
        if 0 < index < n_front:
            _stamp(writer, page, _roman(index + 1), font_ref)
        elif index >= n_front:
            _stamp(writer, page, str(index - n_front + 1), font_ref)
    writer.set_page_label(0, n_front - 1, style="/r")
    writer.set_page_label(n_front, len(writer.pages) - 1, style="/D", start=1)

    writer.add_outline_item("Contents", 1 if n_front > 1 else 0)
    parents: list = []
    for p in printed:
        depth = p.entry.depth
        parent = parents[depth - 1] if 0 < depth <= len(parents) else None
        item = writer.add_outline_item(p.title, n_front + p.first, parent=parent)
        parents = parents[:depth] + [item]
        for s in p.sections:
            index, top = target(p.entry.doc, s["id"])
            writer.add_outline_item(s["title"], index, parent=item, fit=Fit.xyz(top=top))
    writer.page_mode = "/UseOutlines"
    writer.add_metadata({"/Title": config.get("title", "klbook"), "/Author": config.get("author", ""),
                         "/Creator": "tools/build_pdf.py (Chromium, pypdf)"})
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".pdf.part")
    with tmp.open("wb") as fh:
        writer.write(fh)
    tmp.replace(out)
    return len(writer.pages)


def build(site: Path, out: Path, root: Path = ROOT) -> tuple[int, list[str]]:
    """Print the book into ``out``; returns the page count and the problems seen on the way."""
    entries = toc_entries(root)
    missing = [e.doc for e in entries if not (site / f"{e.doc}.html").is_file()]
    if missing:
        raise FileNotFoundError(f"pages of _toc.yml missing from {site}: {', '.join(missing)}; "
                                "run `make book` first")
    problems: list[str] = []
    config = yaml.safe_load((root / "_config.yml").read_text())
    start = time.perf_counter()
    printed, front, base = asyncio.run(_print_pages(site, entries, config, problems))
    printing = time.perf_counter() - start
    pages = assemble(printed, front, base, out, config)
    print(f"[pdf] {len(entries)} web pages printed in {printing:.1f} s ({TABS} tabs), "
          f"joined in {time.perf_counter() - start - printing:.1f} s")
    return pages, problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html", help="the built website")
    parser.add_argument("--out", type=Path, help=f"the PDF (default: SITE/{PDF_NAME})")
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's root (_toc.yml, _config.yml)")
    args = parser.parse_args(argv)
    out = args.out or args.site / PDF_NAME
    if missing_chromium():
        print(missing_chromium(), file=sys.stderr)
        return 1
    start = time.perf_counter()
    pages, problems = build(args.site.resolve(), out, args.root)
    seconds = time.perf_counter() - start
    for problem in problems:
        print(f"[pdf] {problem}", file=sys.stderr)
    size = out.stat().st_size / 1e6
    print(f"[pdf] {out}: {pages} pages, {size:.1f} MB, built in {seconds:.1f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
