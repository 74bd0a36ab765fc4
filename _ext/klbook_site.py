"""Sphinx extension local to the klbook website (loaded from ``_config.yml``).

It does five things:

* makes the site work with no network: the kernel-free explorers' script,
  style sheet and data (``klbook.explorers.write_assets``, built from klbook
  at build time and cached by klbook's source hash) and MathJax 3 (copied
  from the pinned npm package in ``node_modules``) are served from
  ``_static``. Every live app's output carries the ipywidgets view and a
  ``text/html`` explorer; the html builder prefers the explorer, so pages
  embed no widget state and load neither require.js nor the widget manager;
* lets ``make book JB_EXECUTE=...`` choose the notebook execution mode
  (environment variable ``KLBOOK_JB_EXECUTE``; ``_config.yml`` says ``force``).
  ``auto`` is refused: it keeps stored outputs that carry no widget state,
  which gives blank widgets on the page while the build still succeeds;
* removes duplicated inline scripts, as explained below;
* fills the gaps the theme leaves for readers of assistive technology and of
  link previews: a name for each expander of the sidebar's table of contents
  (an icon-only ``<summary>``, nameless for a screen reader), folded code
  cells named by their visible text ("Show code cell source"), and per page a
  ``<meta name="description">`` (its first paragraph of plain text, else
  ``klbook_description``) with Open Graph tags and the social-card image
  ``klbook_social_image``.

Sphinx 7.4 puts an inline ``<script>`` that an extension registers after the
builder has started on each page twice: once from the builder's own list
(``filename=None``) and once re-added from the registry (``filename=''``), so
the two copies do not compare equal and survive Sphinx's own de-duplication.
sphinx-thebe's inline script declares ``const THEBE_JS_URL``; the second copy
throws "Identifier 'THEBE_JS_URL' has already been declared" in every reader's
console. This extension drops the exact duplicates from each page, keeping the
first copy, so launch and live-code buttons stay and the console stays clean.
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
from pathlib import Path

from docutils import nodes

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "_build" / ".klbook_static"
EXPLORER_CACHE = ROOT / "_build" / ".klbook_explorer_cache"
NODE_MODULES = Path(os.environ.get("KLBOOK_NODE_MODULES", ROOT / "node_modules"))
EXECUTION_MODES = ("force", "cache", "off")
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
#: The MathJax 3 entry point the pages load (Sphinx's default, from the pinned npm copy).
MATHJAX_ENTRY = "tex-mml-chtml.js"
# MathJax loads these folders on demand (fonts, TeX extensions, the menu and
# its accessibility explorer); the other combined builds are never loaded.
MATHJAX_PARTS = ("input", "output", "ui", "a11y", "sre", "adaptors")


def _script_key(script):
    filename = getattr(script, "filename", script) or ""
    attributes = getattr(script, "attributes", {}) or {}
    priority = getattr(script, "priority", 500)
    return (filename, priority, tuple(sorted((k, str(v)) for k, v in attributes.items())))


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in scripts:
        if (getattr(script, "attributes", {}) or {}).get("type") == WIDGET_STATE_MIME:
            continue  # no widget view is rendered on the website (see _offline_assets)
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def _copy_mathjax(folder):
    source = NODE_MODULES / "mathjax" / "es5"
    if not (source / MATHJAX_ENTRY).is_file():
        raise FileNotFoundError(
            f"MathJax is missing from {source}: run `make node-modules` (npm ci) first; the site "
            "serves MathJax itself so that it works with no network")
    target = folder / "mathjax"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(source / MATHJAX_ENTRY, target / MATHJAX_ENTRY)
    shutil.copy2(source.parent / "LICENSE", target / "LICENSE")
    for part in MATHJAX_PARTS:
        shutil.copytree(source / part, target / part)


def _offline_assets(app, config):
    """Generate the explorers and copy MathJax into a static folder of the build."""
    import klbook.explorers

    if GENERATED.exists():
        shutil.rmtree(GENERATED)
    klbook.explorers.write_assets(GENERATED, cache=EXPLORER_CACHE)
    _copy_mathjax(GENERATED)
    if str(GENERATED) not in config.html_static_path:
        config.html_static_path.append(str(GENERATED))
    config.mathjax_path = f"mathjax/{MATHJAX_ENTRY}"
    # One output, two renderings: the website shows the explorer (text/html),
    # never the widget view (a kernel-less widget would be a dead control).
    config.nb_mime_priority_overrides = [
        *config.nb_mime_priority_overrides, ("html", "text/html", 1), ("html", WIDGET_VIEW_MIME, None)]
    config.nb_ipywidgets_js = {}
    app.add_css_file("klbook-explorers.css")
    app.add_js_file("klbook-explorers.js", loading_method="defer")


def _execution_mode(app, config):
    mode = os.environ.get("KLBOOK_JB_EXECUTE", "").strip()
    if mode:
        if mode not in EXECUTION_MODES:
            raise ValueError(
                f"`KLBOOK_JB_EXECUTE` (make book JB_EXECUTE=...) must be one of "
                f"{', '.join(EXECUTION_MODES)}, got {mode!r}"
            )
        config.nb_execution_mode = mode
    elif config.nb_execution_mode == "auto":
        raise ValueError(
            "`execute_notebooks: auto` in _config.yml leaves blank widgets on the pages; "
            "use force (or cache locally)"
        )


_NEEDS_DATA = re.compile(r'class="klbook-explorer" data-app="(\w+)" data-needs-data="yes"')


def _preload_explorer_data(app, pagename, templatename, context, doctree):
    """A page with explorers loads their data as ordinary deferred scripts, before the
    explorers' script (priority 400 < 500): the controls are live as soon as it runs,
    with no second round trip after the page has loaded."""
    body = context.get("body", "")
    for name in sorted(set(_NEEDS_DATA.findall(body))):
        app.add_js_file(f"explorers/{name}.js", priority=400, loading_method="defer")
    # In a translated edition, the explorers' labels too (klbook/i18n/<lang>.json).
    lang = app.config.language or "en"
    if lang != "en" and 'class="klbook-explorer"' in body and (GENERATED / f"klbook-labels-{lang}.js").is_file():
        app.add_js_file(f"klbook-labels-{lang}.js", priority=400, loading_method="defer")


def _name_toc_expanders(app, pagename, templatename, context, doctree):
    """Give each icon-only ``<summary>`` of the sidebar's table of contents a name:
    "Sections of <its page's title>" (pydata-sphinx-theme builds them in Python,
    so the fix wraps its template function; axe rule summary-name)."""
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "klbook_named", False):
        return

    @functools.wraps(generate)
    def named(*args, **kwargs):
        soup = generate(*args, **kwargs)
        if isinstance(soup, str):
            return soup
        for summary in soup.select("details > summary"):
            if summary.get("aria-label") or summary.get_text(strip=True):
                continue
            link = summary.find_parent("li").find("a", recursive=True)
            title = " ".join(link.get_text().split()) if link else ""
            summary["aria-label"] = f"Sections of {title}" if title else "Sections"
        return soup

    named.klbook_named = True
    context["generate_toctree_html"] = named


def _visit_folded_cell(self, node):
    """myst-nb's folded code cell, without the aria-label "Toggle hidden content"
    that replaced its summary's visible text ("Show code cell source") as its
    name (axe label-content-name-mismatch); the visible text names it now."""
    from myst_nb.sphinx_ import visit_HideCellInput

    start = len(self.body)
    visit_HideCellInput(self, node)
    self.body[start:] = [part.replace(' aria-label="Toggle hidden content"', "") for part in self.body[start:]]


def _name_folded_cells_by_their_text(app):
    # After every extension's setup (myst-nb registers the node in its own).
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

    app.registry.add_translation_handlers(HideCodeCellNode, html=(_visit_folded_cell, depart_HideCellInput))


#: Longest meta description (search engines show about this much).
DESCRIPTION_CHARS = 160
#: Only an opening paragraph describes the page; later ones are in mid-argument.
DESCRIPTION_PARAGRAPHS = 3
_NOT_PROSE = (nodes.Admonition, nodes.caption, nodes.footnote, nodes.citation, nodes.table,
              nodes.sidebar, nodes.topic, nodes.field_list, nodes.line_block)


def page_description(doctree) -> str:
    """The first of the page's opening DESCRIPTION_PARAGRAPHS paragraphs that
    is plain prose (no formula, at least 60 characters, ending a sentence),
    shortened to DESCRIPTION_CHARS at a word; "" if there is none."""
    if doctree is None:
        return ""
    prose = (p for p in doctree.findall(nodes.paragraph)
             if not any(isinstance(a, _NOT_PROSE) for a in _ancestors(p)))
    for _, para in zip(range(DESCRIPTION_PARAGRAPHS), prose):
        if any(n.tagname in ("math", "math_block") for n in para.findall()):
            continue
        text = " ".join(para.astext().split())
        if len(text) < 60 or not text.endswith((".", "?", "!")):
            continue
        if len(text) > DESCRIPTION_CHARS:
            text = text[:DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return text
    return ""


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _social_image_alt() -> str:
    """What tools/make_site_images.py draws (it checks these facts), in the palette's words."""
    from klbook.plotting import describe_role

    return (f"A target P with two modes ({describe_role('p')}); the Normal Q fitted by forward KL "
            f"D(P‖Q) ({describe_role('forward')}) spreads over both, the one fitted by reverse KL "
            f"D(Q‖P) ({describe_role('reverse')}) sits on one mode.")


def _page_meta(app, pagename, templatename, context, doctree):
    """Description, Open Graph and social-card tags for every page."""
    config = app.config
    description = page_description(doctree) or config.klbook_description
    title = html.unescape(re.sub(r"<[^>]+>", "", context.get("title") or config.project))
    tags = {"description": description}
    properties = {"og:title": title, "og:description": description, "og:type": "website",
                  "og:site_name": config.project}
    if config.klbook_social_image:
        image = config.klbook_social_image
        # Link previews need an absolute address, known only when html_baseurl is set.
        base = (config.html_baseurl or "").rstrip("/")
        properties["og:image"] = f"{base}/{image}" if base else context["pathto"](image, 1)
        properties["og:image:alt"] = _social_image_alt()
        tags["twitter:card"] = "summary_large_image"
    meta = [f'<meta name="{k}" content="{html.escape(v)}" />' for k, v in tags.items()]
    meta += [f'<meta property="{k}" content="{html.escape(v)}" />' for k, v in properties.items()]
    context["metatags"] = context.get("metatags", "") + "\n".join(meta) + "\n"


def setup(app):
    app.add_config_value("klbook_description", "", "html", types=[str])
    app.add_config_value("klbook_social_image", "", "html", types=[str])
    app.connect("config-inited", _offline_assets)
    app.connect("config-inited", _execution_mode)
    # Late priority: after the extensions that add page-specific scripts.
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    app.connect("html-page-context", _preload_explorer_data)
    app.connect("builder-inited", _name_folded_cells_by_their_text)
    app.connect("html-page-context", _name_toc_expanders, priority=900)
    app.connect("html-page-context", _page_meta)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
