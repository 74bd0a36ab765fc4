#!/usr/bin/env python3
"""Export every chapter notebook as a reveal.js slide deck into the built site.

``make slides`` runs this after ``make book``. For each chapter listed in
``_toc.yml`` (chapter entries only: the exercise pages are sections) it runs
nbconvert's slides exporter on the notebook executed afresh with
``KLBOOK_STYLE=lecture`` (the lecture look: large fonts, thick lines; the
committed notebook and the book keep the book's look), whose metadata then
holds the saved widget state, and writes ``_build/html/slides/<chapter>.html``.

The decks work with no network at all. Everything they load is copied next to
them from ``node_modules`` (``npm ci`` from ``package-lock.json``):

* ``slides/reveal.js/``: reveal.js 4.0.2 (the version nbconvert's template is
  written for): its script, style, the "white" theme with its local fonts
  (the default "simple" theme imports Google Fonts), the speaker-notes plugin;
* ``slides/_lib/require.js``: require.js, which loads reveal.js and the widget
  manager;
* ``slides/_lib/mathjax/``: MathJax 3 (``tex-svg-full.js``, self-contained);
* ``slides/_lib/html-manager/``: ``@jupyter-widgets/html-manager``'s
  ``embed-amd.js`` and its font files, for any widget without an explorer;
* ``slides/_lib/klbook-explorers.js`` and ``.css`` with ``explorers/``: the
  kernel-free explorers (``klbook.explorers.write_assets``). Each live app's
  output carries its widget view and its explorer (``text/html``); a deck
  keeps the explorer, so every control on a slide responds with no kernel.

The template (``tools/slides_template/klbook_reveal``) drops the stock
template's CDN-only extras (jQuery, Mermaid) and moves it to MathJax 3.

Markdown cells are written in MyST for Jupyter Book; nbconvert renders plain
Markdown. Before export this script rewrites the MyST constructs the book uses
so that no raw syntax reaches a slide: glue roles become their values (taken
from the notebook's own glue outputs), cross-references become plain text or
links to the book's pages, admonitions become block quotes, other directives
are unwrapped, and target labels and comments are removed. Cells tagged
``remove-cell`` are left out, except speaker notes (slide type ``notes``,
tagged ``remove-cell`` so that the book does not show them); ``remove-input``
and ``hide-input`` cells show only their output, and so do cells whose output
is only a figure, an animation or a widget (on a slide the plotting code is
noise); ``remove-output`` cells only their code. Slide structure comes from
each cell's ``metadata.slideshow.slide_type``.

Usage: python tools/build_slides.py [--site _build/html] [--root .]
"""

from __future__ import annotations

import argparse
import copy
import functools
import html
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = ROOT / "tools" / "slides_template"
TEMPLATE = "klbook_reveal"
SLIDES_DIR = "slides"
LIB = "_lib"
REVEAL = "reveal.js"

# What each deck needs from node_modules: (source, destination under slides/).
ASSETS = [
    ("reveal.js/LICENSE", f"{REVEAL}/LICENSE"),
    ("reveal.js/dist/reveal.js", f"{REVEAL}/dist/reveal.js"),
    ("reveal.js/dist/reveal.css", f"{REVEAL}/dist/reveal.css"),
    ("reveal.js/dist/theme/white.css", f"{REVEAL}/dist/theme/white.css"),
    ("reveal.js/dist/theme/fonts/source-sans-pro", f"{REVEAL}/dist/theme/fonts/source-sans-pro"),
    ("reveal.js/plugin/notes/notes.js", f"{REVEAL}/plugin/notes/notes.js"),
    ("requirejs/require.js", f"{LIB}/require.js"),
    ("mathjax/LICENSE", f"{LIB}/mathjax/LICENSE"),
    ("mathjax/es5/tex-svg-full.js", f"{LIB}/mathjax/tex-svg-full.js"),
    ("@jupyter-widgets/html-manager/LICENSE", f"{LIB}/html-manager/LICENSE"),
    ("@jupyter-widgets/html-manager/dist/embed-amd.js", f"{LIB}/html-manager/dist/embed-amd.js"),
]
# The widget manager's fonts (names are content hashes): every font file in dist/.
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")

REMOVE_CELL_TAGS = {"remove-cell"}
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
EXPLORER_MARK = 'class="klbook-explorer"'
EXPLORER_CACHE = ROOT / "_build" / ".klbook_explorer_cache"
REMOVE_INPUT_TAGS = {"remove-input", "hide-input"}
REMOVE_OUTPUT_TAGS = {"remove-output"}
# Outputs that make a cell a figure/animation/widget cell (its code is hidden on slides).
RICH_MIMES = {"image/png", "image/jpeg", "image/svg+xml", "text/html",
              "application/vnd.jupyter.widget-view+json"}

# sphinx/MyST admonitions: rendered as a block quote with a bold title.
ADMONITIONS = {
    "admonition", "note", "tip", "hint", "important", "warning", "caution",
    "attention", "danger", "error", "seealso",
}

# ------------------------------------------------------------------ MyST -> Markdown

_GLUE_ROLE = re.compile(r"\{glue(?::(?P<kind>\w*))?\}`(?P<body>[^`]+)`")
_ROLE = re.compile(r"\{(?P<name>[\w:.-]+)\}`(?P<body>[^`]*)`")
_TITLED = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_OPTION = re.compile(r"^:[\w-]+:")
_LOCAL_LINK = re.compile(r"\]\((?P<path>(?![a-z]+:)[^)#\s]+?)\.(?:ipynb|md)(?P<frag>#[^)\s]*)?\)")
# Role or directive syntax that must not survive into a slide.
_LEFTOVER = re.compile(r"\{[\w:.-]+\}`|^(?:`{3,}|:{3,})\{", re.M)


class MystError(ValueError):
    """MyST syntax this converter cannot turn into plain Markdown."""


def glue_values(nb) -> dict[str, dict]:
    """Every value glued in the notebook: name -> mime bundle (prefix removed)."""
    values = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if not meta or "name" not in meta:
                continue
            prefix = meta.get("mime_prefix", "")
            values[meta["name"]] = {
                mime[len(prefix):] if mime.startswith(prefix) else mime: data
                for mime, data in out.get("data", {}).items()
            }
    return values


def _glue_text(bundle: dict, name: str, fmt: str | None) -> str:
    if "text/plain" not in bundle:
        raise MystError(f"glued value {name!r} has no text/plain form")
    text = bundle["text/plain"]
    if fmt:
        try:
            return format(float(text), fmt)
        except ValueError as err:
            raise MystError(f"glued value {name!r} = {text!r} does not take format {fmt!r}") from err
    return text.strip("'\"")


def replace_glue(text: str, values: dict[str, dict]) -> str:
    """Substitute ``{glue}`` / ``{glue:text}`` / ``{glue:md}`` / ``{glue:math}`` roles."""

    def sub(match: re.Match) -> str:
        kind = match["kind"] or ""
        name, _, fmt = match["body"].partition(":")
        if name not in values:
            raise MystError(f"glue role refers to {name!r}, which the notebook does not glue")
        bundle = values[name]
        if kind == "md":
            return bundle.get("text/markdown", _glue_text(bundle, name, None))
        value = _glue_text(bundle, name, fmt or None)
        return f"${value}$" if kind == "math" else value

    return _GLUE_ROLE.sub(sub, text)


def doc_link(target: str, text: str | None, docs: dict[str, str]) -> str:
    """A Markdown link from a deck to the book's page for ``{doc}`` target."""
    name = target.rsplit("/", 1)[-1].removesuffix(".ipynb").removesuffix(".md")
    title = text or docs.get(name, name)
    return f"[{title}](../chapters/{name}.html)"


def replace_roles(text: str, docs: dict[str, str]) -> str:
    """Turn the remaining MyST roles into plain Markdown."""

    def sub(match: re.Match) -> str:
        name, body = match["name"], match["body"]
        titled = _TITLED.match(body)
        shown, target = (titled["text"], titled["target"]) if titled else (None, body)
        if name == "doc":
            return doc_link(target, shown, docs)
        if name == "math":
            return f"${body}$"
        if name in ("ref", "numref", "eq", "term", "abbr", "download", "any"):
            return shown or target
        return shown or body

    return _ROLE.sub(sub, text)


@functools.cache
def _myst_parser():
    """markdown-it-py with the MyST syntax plugins, as myst-parser itself sets it up."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.myst_blocks import myst_block_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin

    return (MarkdownIt("commonmark").enable("table").use(myst_role_plugin).use(myst_block_plugin)
            .use(colon_fence_plugin).use(dollarmath_plugin))


# In text that the parser found roles in: a code span (left alone) or a role.
_SPAN_OR_ROLE = re.compile(r"(?P<code>(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`))|" + _ROLE.pattern, re.S)


def _directive(info: str, content: str, values, docs) -> list[str]:
    """A directive block as Markdown: admonitions become block quotes, math stays math."""
    name, _, arg = info.strip()[1:].partition("}")
    name, arg = name.strip(), arg.strip()
    body = content.split("\n")
    while body and _OPTION.match(body[0]):
        body.pop(0)
    inner = myst_to_markdown("\n".join(body), values, docs, check=False).strip("\n")
    if name == "math":
        return ["$$", inner, "$$"]
    if name in ADMONITIONS:
        title = arg if name == "admonition" else (arg or name.capitalize())
        return [f"> **{title}.**", ">"] + [f"> {line}" if line else ">" for line in inner.split("\n")]
    return [inner]


def _inline(text: str, values, docs) -> str:
    """Roles (glue, doc, ref, math...) in a block of prose; code spans untouched."""

    def sub(match: re.Match) -> str:
        if match["code"]:
            return match[0]
        role = _ROLE.fullmatch(match[0])
        if role["name"].startswith("glue"):
            return replace_glue(match[0], values)
        return replace_roles(match[0], docs)

    return _SPAN_OR_ROLE.sub(sub, text)


def myst_to_markdown(text: str, values: dict[str, dict], docs: dict[str, str], *, check: bool = True) -> str:
    """Plain Markdown for nbconvert from a MyST markdown cell.

    markdown-it-py, with the plugins myst-parser uses, finds the blocks:
    directive fences (backticks or colons) are unwrapped, target labels and
    comments dropped, code and math blocks kept as they are (a math block's
    equation label dropped); roles are replaced in the prose only, never in
    code. Local links to notebooks become links to the book's pages.

    Raises MystError if MyST syntax would be left on a slide.
    """
    lines = text.split("\n")
    out: list[str] = []
    done = 0
    for token in _myst_parser().parse(text):
        if token.map is None or token.level != 0:
            continue
        start, end = token.map
        if start < done:
            continue
        out += [_inline(line, values, docs) for line in lines[done:start]]
        done = end
        block = lines[start:end]
        if token.type in ("myst_target", "myst_line_comment"):
            continue
        if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            closing = block[-1].strip() if len(block) > 1 else ""
            if not (closing and set(closing) == {token.markup[0]} and len(closing) >= len(token.markup)):
                # markdown-it runs an unclosed fence to the end of the cell
                raise MystError(f"directive {token.info.strip().split()[0]} is not closed")
            out += _directive(token.info, token.content.rstrip("\n"), values, docs)
        elif token.type == "math_block_label":
            out += ["$$", token.content.strip("\n"), "$$"]
        elif token.type in ("fence", "code_block", "math_block"):
            out += block
        else:
            out.append(_inline("\n".join(block), values, docs))
    out += [_inline(line, values, docs) for line in lines[done:]]
    text = "\n".join(out)
    text = _LOCAL_LINK.sub(lambda m: f"](../chapters/{m['path'].rsplit('/', 1)[-1]}.html{m['frag'] or ''})", text)
    left = _LEFTOVER.search(text) if check else None
    if left:
        raise MystError(f"MyST syntax left after conversion: {left.group(0)!r}")
    return text


def shows_only_rich_output(cell) -> bool:
    """A figure, animation or widget cell: on a slide its output is the point, not its code."""
    outputs = [o for o in cell.get("outputs", []) if "scrapbook" not in o.get("metadata", {})]
    if not outputs or any(o.get("output_type") in ("stream", "error") for o in outputs):
        return False
    return all(set(o.get("data", {})) & RICH_MIMES for o in outputs)


def prepare(nb, docs: dict[str, str]):
    """A copy of `nb` ready for the slides exporter (MyST rewritten, tags applied)."""
    nb = copy.deepcopy(nb)
    values = glue_values(nb)
    cells = []
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        is_notes = cell.metadata.get("slideshow", {}).get("slide_type") == "notes"
        # Speaker notes are tagged remove-cell to keep them out of the book, not the deck.
        if tags & REMOVE_CELL_TAGS and not is_notes:
            continue
        if cell.cell_type == "markdown":
            cell.source = myst_to_markdown(cell.source, values, docs)
        elif cell.cell_type == "code":
            if tags & REMOVE_INPUT_TAGS or shows_only_rich_output(cell):
                cell.metadata["transient"] = {"remove_source": True}
            if tags & REMOVE_OUTPUT_TAGS:
                cell.outputs = []
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
            for out in cell.get("outputs", []):
                if alt and "image/png" in out.get("data", {}):
                    out.setdefault("metadata", {})["alt"] = alt
            # Glue outputs are data for the prose above, not slide content.
            cell.outputs = [prefer_explorer(o) for o in cell.get("outputs", [])
                            if "scrapbook" not in o.get("metadata", {})]
        cells.append(cell)
    nb.cells = cells
    if not any(WIDGET_VIEW_MIME in o.get("data", {}) for c in cells for o in c.get("outputs", [])):
        nb.metadata.pop("widgets", None)
    return nb


def prefer_explorer(out):
    """An app's output keeps its kernel-free explorer and drops its widget view."""
    data = out.get("data", {})
    if WIDGET_VIEW_MIME in data and EXPLORER_MARK in data.get("text/html", ""):
        del data[WIDGET_VIEW_MIME]
    return out


# ------------------------------------------------------------------ chapters and titles


def toc_chapters(root: Path) -> list[Path]:
    """The chapter-level notebooks of ``_toc.yml``, in order (not root, not sections).

    A notebook opts out with the notebook metadata ``{"klbook": {"slides": false}}``
    (the instructor's guide does: it is not a lecture).
    """
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    entries = []
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        entries += part.get("chapters", [])
    found = []
    for entry in entries:
        if "file" not in entry:
            continue
        path = root / (entry["file"] + ".ipynb")
        if path.is_file() and nbformat.read(path, as_version=4).metadata.get("klbook", {}).get("slides", True):
            found.append(path)
    return found


def doc_titles(root: Path) -> dict[str, str]:
    """Page name -> title (first heading) for every page in chapters/."""
    titles = {}
    for path in sorted((root / "chapters").glob("*")):
        if path.suffix == ".ipynb":
            cells = nbformat.read(path, as_version=4).cells
            text = next((c.source for c in cells if c.cell_type == "markdown"), "")
        elif path.suffix == ".md":
            text = path.read_text()
        else:
            continue
        heading = re.search(r"^#\s+(.+)$", text, re.M)
        if heading:
            titles[path.stem] = heading.group(1).strip()
    return titles


# ------------------------------------------------------------------ export


def copy_assets(node_modules: Path, slides: Path) -> list[Path]:
    """Copy reveal.js, require.js, MathJax and the widget manager next to the decks."""
    copied = []
    missing = [src for src, _ in ASSETS if not (node_modules / src).exists()]
    if missing:
        raise FileNotFoundError(
            f"missing in {node_modules}: {', '.join(missing)}; run `make node-modules` (npm ci)"
        )
    for src, dst in ASSETS:
        source, target = node_modules / src, slides / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
        copied.append(target)
    fonts = node_modules / "@jupyter-widgets/html-manager/dist"
    for font in sorted(fonts.iterdir()):
        if font.suffix in FONT_SUFFIXES:
            shutil.copy2(font, slides / LIB / "html-manager" / "dist" / font.name)
            copied.append(slides / LIB / "html-manager" / "dist" / font.name)
    return copied


def exporter():
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.TemplateExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    c.SlidesExporter.template_name = TEMPLATE
    c.SlidesExporter.reveal_url_prefix = REVEAL
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_transition = "slide"
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.reveal_width = "1280"
    c.SlidesExporter.reveal_height = "880"
    c.SlidesExporter.require_js_url = f"{LIB}/require.js"
    c.SlidesExporter.mathjax_url = f"{LIB}/mathjax/tex-svg-full.js"
    c.SlidesExporter.widget_renderer_url = f"{LIB}/html-manager/dist/embed-amd.js"
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    return SlidesExporter(config=c)


def lecture_run(path: Path):
    """The notebook executed afresh with ``KLBOOK_STYLE=lecture``: every
    ``kb.style()`` block and widget then draws large fonts and thick lines for
    the projector, while the committed notebook (and the book) keep the book's
    look. Only the kernel's environment changes (``env=``), not this process's."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    env = {**os.environ, "KLBOOK_STYLE": "lecture"}
    NotebookClient(nb, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(path.parent)}}).execute(env=env)
    return nb


def _newest_source(root: Path, path: Path) -> float:
    """Newest modification time among the notebook and the klbook sources it runs."""
    return max([path.stat().st_mtime] + [p.stat().st_mtime for p in (root / "klbook").rglob("*")
                                         if p.is_file() and "__pycache__" not in p.parts])


def lecture_notebook(root: Path, path: Path, lecture_dir: Path):
    """The lecture run of `path`: read from `lecture_dir` when ``--execute-only``
    wrote it there after the last change to the notebook or to klbook (``make
    book`` runs that beside the book build, so the two executions share the
    two cores), else executed now."""
    saved = lecture_dir / path.name
    if saved.is_file() and saved.stat().st_mtime >= _newest_source(root, path):
        return nbformat.read(saved, as_version=4)
    return lecture_run(path)


def execute_only(root: Path, lecture_dir: Path) -> int:
    """Run every chapter in the lecture style into `lecture_dir` (no export)."""
    lecture_dir.mkdir(parents=True, exist_ok=True)
    for path in toc_chapters(root):
        out = lecture_dir / path.name
        out.unlink(missing_ok=True)
        nbformat.write(lecture_run(path), out)
        print(f"lecture run: {out}", flush=True)
    return 0


def build(root: Path, site: Path, node_modules: Path, lecture_dir: Path) -> list[Path]:
    slides = site / SLIDES_DIR
    if slides.exists():
        shutil.rmtree(slides)
    slides.mkdir(parents=True)
    copy_assets(node_modules, slides)
    from klbook.explorers import write_assets

    write_assets(slides / LIB, cache=EXPLORER_CACHE)
    docs = doc_titles(root)
    export = exporter()
    decks = []
    for path in toc_chapters(root):
        nb = prepare(lecture_notebook(root, path, lecture_dir), docs)
        title = docs.get(path.stem, path.stem)
        resources = {
            "metadata": {"name": title},
            "klbook": {"html_manager": f"{LIB}/html-manager", "lib": LIB},
        }
        body, _ = export.from_notebook_node(nb, resources=resources)
        deck = slides / f"{path.stem}.html"
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    if not decks:
        raise FileNotFoundError(f"no chapter notebooks listed in {root / '_toc.yml'}")
    return decks


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's root (with _toc.yml)")
    parser.add_argument("--site", type=Path, default=None, help="built site (default ROOT/_build/html)")
    parser.add_argument("--node-modules", type=Path, default=None, help="default ROOT/node_modules")
    parser.add_argument("--lecture-dir", type=Path, default=None,
                        help="lecture runs of the chapters (default ROOT/_build/lecture)")
    parser.add_argument("--execute-only", action="store_true",
                        help="only run the chapters in the lecture style into --lecture-dir")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    site = (args.site or root / "_build" / "html").resolve()
    node_modules = (args.node_modules or root / "node_modules").resolve()
    lecture_dir = (args.lecture_dir or root / "_build" / "lecture").resolve()
    if args.execute_only:
        return execute_only(root, lecture_dir)
    if not site.is_dir():
        print(f"{site} does not exist: build the book first (make book)", file=sys.stderr)
        return 1
    decks = build(root, site, node_modules, lecture_dir)
    for deck in decks:
        n = len(re.findall(r"<section\b", deck.read_text(encoding="utf-8")))
        print(f"{deck.relative_to(site)}: {deck.stat().st_size / 1e6:.2f} MB, {n} <section>s")
    print(f"{len(decks)} decks in {html.escape(str(site / SLIDES_DIR))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
