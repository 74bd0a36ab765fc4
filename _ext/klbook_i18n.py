"""Sphinx extension: translated editions of the klbook notebooks (issue 14).

Sphinx's gettext workflow (``-b gettext``, ``sphinx-intl``, ``-D language=ko``)
replaces each paragraph, heading and caption of a page by its translation from
``locales/<lang>/LC_MESSAGES/<docname>.po``. Sphinx parses every translated
message again with the parser of the page's file type (``publish_msgstr`` in
``sphinx.transforms.i18n``, source path ending in ``<translated>``).

For a notebook that parser is MyST-NB's. MyST-NB < 1.2 read the message as a
notebook and crashed (NotJSONError, executablebooks/MyST-NB#587); MyST-NB 1.2
(PR #600) parses it as MyST Markdown instead, but in a bare document: the
notebook's glue data are gone, so every ``{glue:text}`` role in a translated
message fails ("No key ... found in glue data for this document") and the
translated page would show no computed number.

This extension

* registers a MyST-NB parser that remembers the notebook's renderer while the
  page is read and lends it to the re-parse of each translated message, so glue
  roles (and ``{eval}``) in translations show the numbers the English run
  computed (same jupyter-cache entry, nothing executed again);
* translates the kernel-free explorers' placeholders (title, fallback text)
  from a label table (``klbook/i18n/<lang>.json``) and marks each explorer with
  ``data-lang`` so the script can pick its labels from the same table;
* makes figures' alt text a message of its page (``_alt_text_messages``);
* links every page to its twin in the other language (``klbook_lang_peer``:
  the relative URL of the other edition's root, e.g. ``ko/`` from the English
  site, ``..`` from the Korean one) and sets ``lang`` on the page.
"""

from __future__ import annotations

import dataclasses
import html as _html
import json
import re
from pathlib import Path

from docutils import nodes

import myst_nb.sphinx_ as _mystnb
from klbook.explorers import LABELS_DIR

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED_SUFFIX = "<translated>"
_RENDERER_KEY = "klbook_nb_renderer"
LANG_NAMES = {"en": "English", "ko": "한국어"}


class _KeepRenderer(dict):
    """``document.attributes`` that remembers the notebook renderer MyST-NB pops."""

    kept = None

    def pop(self, key, *default):
        if key == "nb_renderer" and key in self:
            self.kept = self[key]
        return super().pop(key, *default)


class TranslatableNotebookParser(_mystnb.Parser):
    """MyST-NB's parser; translated messages see the notebook's glue data."""

    def parse(self, inputstring, document):
        env = document.settings.env
        if document.current_source and document.current_source.endswith(TRANSLATED_SUFFIX):
            renderer = env.temp_data.get(_RENDERER_KEY)
            if renderer is not None:
                document.attributes["nb_renderer"] = renderer
            try:
                return _mystnb.MystParser.parse(self, inputstring, document)
            finally:
                document.attributes.pop("nb_renderer", None)
        attributes = _KeepRenderer(document.attributes)
        document.attributes = attributes
        try:
            super().parse(inputstring, document)
        finally:
            document.attributes = dict(attributes)
        if attributes.kept is not None:
            # temp_data lives while this one document is read (Locale runs then).
            env.temp_data[_RENDERER_KEY] = attributes.kept


# -- labels of the explorers ---------------------------------------------------------

def load_labels(lang):
    """The label table English -> `lang` (empty for English or a language with no table):
    the table the explorers' script gets (``klbook.explorers.label_tables``)."""
    from klbook import explorers

    return {} if lang in (None, "", "en") else explorers.label_tables().get(lang, {})


_EXPLORER = re.compile(r'<div class="klbook-explorer" data-app="(\w+)"([^>]*) data-config="([^"]*)">'
                       r'<p class="kx-fallback">(.*?)</p>', re.S)


def translate_explorer_html(text, labels, lang):
    """The placeholder HTML with its title and fallback text in `lang` (ValueError if a
    label is missing from the table: an untranslated label must not slip through)."""

    def one(match):
        app, rest, payload, fallback = match.groups()
        config = json.loads(_html.unescape(payload))
        for key in ("title",):
            if key in config:
                config[key] = _lookup(labels, config[key], lang)
        if isinstance(config.get("labels"), list):  # outcome names a chapter chose
            # (symbols such as a, b, x1 stay as they are, like math; words are translated)
            config["labels"] = [str(x) if len(str(x)) <= 2 else _lookup(labels, str(x), lang)
                                for x in config["labels"]]
        for style in config.get("styles", {}).values():
            for key in ("words", "colour"):
                if key in style:
                    style[key] = _lookup(labels, style[key], lang)
        payload = _html.escape(json.dumps(config, ensure_ascii=False), quote=True)
        fallback = _html.escape(_lookup(labels, _html.unescape(fallback), lang), quote=False)
        return (f'<div class="klbook-explorer" data-app="{app}"{rest} data-lang="{lang}" '
                f'data-config="{payload}"><p class="kx-fallback">{fallback}</p>')

    return _EXPLORER.sub(one, text)


def _lookup(labels, text, lang):
    if text not in labels or not labels[text]:
        raise ValueError(f"explorer label {text!r} has no {lang} translation in {LABELS_DIR / (lang + '.json')}")
    return labels[text]


def _translate_explorers(app, doctree):
    lang = app.config.language
    labels = load_labels(lang)
    if not labels:
        return
    for node in doctree.findall(nodes.raw):
        if "html" in node.get("format", "") and "klbook-explorer" in node.astext():
            new = translate_explorer_html(node.astext(), labels, lang)
            node.children = [nodes.Text(new)]


# -- alt text -----------------------------------------------------------------------

def _alt_text_messages(app, config):
    """Sphinx extracts and translates image alt text itself, but MyST-NB shows the
    gettext builder only an output's text/plain: with PNG first, each figure's alt
    text becomes a message of its page (and Locale translates it in the other edition)."""
    config.nb_mime_priority_overrides = [*config.nb_mime_priority_overrides, ("gettext", "image/png", 1)]


# -- quizzes ------------------------------------------------------------------------
# jupyterquiz writes each quiz as a script, ``var questions<id>=[...JSON...];``
# followed by its own code, whose few words shown to the reader are listed here.
_QUIZ = re.compile(r"(var questions\w+=)(\[.*?\]);\n", re.S)
QUIZ_FIELDS = ("question", "answer", "feedback")
QUIZ_UI = ("Correct!", "Incorrect -- try again.", "Type numeric answer here:", "Type your answer here:")


def quiz_strings(script):
    """The texts a quiz shows (questions, answers, feedback), in order, or [] for another script."""
    match = _QUIZ.search(script)
    if not match:
        return []
    out = []

    def walk(item):
        if isinstance(item, dict):
            for key, value in item.items():
                if key in QUIZ_FIELDS and isinstance(value, str):
                    out.append(value)
                else:
                    walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(json.loads(match.group(2)))
    return out + [ui for ui in QUIZ_UI if f'"{ui}"' in script]


def translate_quiz(script, translate):
    """The quiz script with every shown text passed through `translate` (str -> str)."""
    match = _QUIZ.search(script)
    if not match:
        return script

    def walk(item):
        if isinstance(item, dict):
            return {k: translate(v) if k in QUIZ_FIELDS and isinstance(v, str) else walk(v) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        return item

    questions = json.dumps(walk(json.loads(match.group(2))), ensure_ascii=False)
    rest = script[match.end():]
    for ui in QUIZ_UI:
        if f'"{ui}"' in rest:
            rest = rest.replace(f'"{ui}"', json.dumps(translate(ui), ensure_ascii=False))
    return f"{script[:match.start()]}{match.group(1)}{questions};\n{rest}"


# jupyterquiz reads MathJax.version whenever window.MathJax exists; before MathJax 3
# has loaded, window.MathJax is still the page's configuration object (no version),
# and the quiz threw "Cannot read properties of undefined (reading '0')" on a slow
# load. Without a version the quiz skips typesetting; MathJax typesets the page when
# it loads.
_QUIZ_MATHJAX = "var version = MathJax.version;"


def safe_quiz_mathjax(script):
    """The quiz script, safe to run before MathJax has loaded."""
    script = script.replace(_QUIZ_MATHJAX, 'var version = MathJax.version || "";')
    return script.replace("const v = MathJax.version;", 'const v = MathJax.version || "";')


def _add_messages(doctree, texts):
    """gettext only: make each text (with its line) a message of the page, as a
    paragraph appended to the page's doctree (the gettext builder writes no page)."""
    holder = nodes.container()
    for text, line in texts:
        paragraph = nodes.paragraph(text, text)
        paragraph.source, paragraph.line = doctree["source"], line or 1
        holder += paragraph
    doctree += holder


def _quizzes(app, doctree):
    """gettext: each quiz text becomes a message of its page; another language: the
    quiz shows its translation from that page's catalog (an untranslated text fails)."""
    scripts = [node for node in doctree.findall(nodes.raw) if _QUIZ.search(node.astext())]
    if not scripts:
        return
    if app.builder.name == "gettext":
        _add_messages(doctree, [(text, node.line) for node in scripts for text in quiz_strings(node.astext())])
        return
    for node in scripts:
        node.children = [nodes.Text(safe_quiz_mathjax(node.astext()))]
    lang = app.config.language or "en"
    if lang == "en":
        return
    catalog = _page_catalog(app, lang)

    def translate(text):
        out = catalog.gettext(text)
        if out == text:
            raise ValueError(f"quiz text of {app.env.docname} has no {lang} translation "
                             f"(make i18n-update, then translate it): {text[:80]!r}")
        return out

    for node in scripts:
        node.children = [nodes.Text(translate_quiz(node.astext(), translate))]


# -- exercise titles --------------------------------------------------------------------
# sphinx-exercise parses an exercise's title (``{exercise} <title>``) into a subtitle
# node that Sphinx does not extract as a message, and keeps a copy of the node in
# its registry for the solutions' headings. Both get the translation here.
_INLINE_MATH = re.compile(r"\$([^$]+)\$")


def subtitle_source(subtitle):
    """The Markdown of an exercise title: text, ``$math$`` and ```code``` (the message id)."""
    parts = []
    for child in subtitle.children:
        if isinstance(child, nodes.math):
            parts.append(f"${child.astext()}$")
        elif isinstance(child, nodes.literal):
            parts.append(f"`{child.astext()}`")
        else:
            parts.append(child.astext())
    # Sphinx curls quotes in English pages and not in Korean ones: ids use straight quotes.
    return "".join(parts).strip().translate(_STRAIGHT_QUOTES)


_STRAIGHT_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def subtitle_nodes(text):
    """Inline nodes of a translated title (text and ``$math$``)."""
    out, last = [], 0
    for match in _INLINE_MATH.finditer(text):
        if match.start() > last:
            out.append(nodes.Text(text[last:match.start()]))
        out.append(nodes.math(match.group(1), match.group(1)))
        last = match.end()
    if last < len(text):
        out.append(nodes.Text(text[last:]))
    return out


def _subtitles(node):
    from sphinx_exercise.nodes import exercise_subtitle

    return list(node.findall(exercise_subtitle))


def _exercise_titles(app, doctree):
    subtitles = _subtitles(doctree)
    if not subtitles:
        return
    if app.builder.name == "gettext":
        _add_messages(doctree, [(subtitle_source(subtitle), subtitle.line) for subtitle in subtitles])
        return
    lang = app.config.language or "en"
    if lang == "en":
        return
    catalog = _page_catalog(app, lang)
    registry = getattr(app.env, "sphinx_exercise_registry", {})
    copies = [entry["node"] for entry in registry.values()
              if entry.get("docname") == app.env.docname and entry.get("node") is not None]
    for subtitle in subtitles + [s for copy in copies for s in _subtitles(copy)]:
        english = subtitle_source(subtitle)
        translated = catalog.gettext(english)
        if translated == english:
            raise ValueError(f"exercise title of {app.env.docname} has no {lang} translation "
                             f"(make i18n-update, then translate it): {english!r}")
        subtitle.children = []
        subtitle.extend(subtitle_nodes(translated))


# -- table of contents ----------------------------------------------------------------

def _page_catalog(app, lang):
    from sphinx.locale import init as init_locale
    from sphinx.util.i18n import docname_to_domain

    domain = docname_to_domain(app.env.docname, app.config.gettext_compact)
    dirs = [str(Path(app.srcdir) / d) for d in app.config.locale_dirs]
    return init_locale(dirs, lang, domain)[0]


def _toctree_captions(app, doctree):
    """The sidebar's part captions in the edition's language. They are messages of the
    root page, but sphinx-external-toc inserts its toctrees after Sphinx translated the
    page, so they would stay English."""
    from sphinx import addnodes

    lang = app.config.language or "en"
    trees = [node for node in doctree.findall(addnodes.toctree) if node.get("caption")]
    if lang == "en" or not trees:
        return
    catalog = _page_catalog(app, lang)
    for node in trees:
        node["caption"] = catalog.gettext(node["caption"])
        if node.get("rawcaption"):
            node["rawcaption"] = catalog.gettext(node["rawcaption"])


# -- figures ------------------------------------------------------------------------

def _figure_swapping_render(original):
    """MyST-NB's render_mime_type, with each figure's PNG in the edition's language.

    In a book build with ``KLBOOK_FIGURE_LANGS`` set, every matplotlib figure an
    output shows also carries its translated PNGs in the output's metadata
    (``klbook.i18n.FIGURE_MIME``); the edition's build draws that PNG in place of
    the English one. The carrier mime type itself renders to nothing.
    """
    from klbook.i18n import FIGURE_MIME

    def render_mime_type(self, data):
        if data.mime_type == FIGURE_MIME:
            return []
        if data.mime_type == "image/png":
            lang = self.renderer.document.settings.env.config.language or "en"
            if lang != "en":
                translations = data.output_metadata.get(FIGURE_MIME)
                if not translations or lang not in translations:
                    raise ValueError(
                        f"a figure of {self.renderer.document['source']} has no {lang} drawing: build the "
                        f"English book with KLBOOK_FIGURE_LANGS={lang} (make book does)")
                missing = translations.get(f"missing-{lang}")
                if missing:
                    raise ValueError(f"figure words with no {lang} translation in klbook/i18n/figures-{lang}.json "
                                     f"({self.renderer.document['source']}): {missing}")
                data = dataclasses.replace(data, content=translations[lang])
        return original(self, data)

    return render_mime_type


# -- language switch ----------------------------------------------------------------

#: What the editions share: files of the English site that a page links to with a
#: relative URL (slide decks, the book PDF); an edition's page reaches them one
#: folder further up.
SHARED_FILES = ("slides/", "klbook.pdf")


def _lang_switch(app, pagename, templatename, context, doctree):
    peer = app.config.klbook_lang_peer
    if not peer:
        return
    lang = app.config.language or "en"
    if lang != "en" and "body" in context:
        up = "../" * pagename.count("/")
        for shared in SHARED_FILES:
            context["body"] = context["body"].replace(f'href="{up}{shared}', f'href="{up}../{shared}')
    other = "en" if lang != "en" else "ko"
    depth = pagename.count("/")
    href = "../" * depth + peer.rstrip("/") + "/" + pagename + ".html"
    link = (f'<p class="klbook-lang-switch"><a href="{href}" hreflang="{other}" lang="{other}">'
            f'{LANG_NAMES.get(other, other)}</a></p>\n')
    context["body"] = link + context.get("body", "")
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{other}" href="{href}" />')


def setup(app):
    from myst_nb.core.render import NbElementRenderer

    if not getattr(NbElementRenderer.render_mime_type, "_klbook_figures", False):
        NbElementRenderer.render_mime_type = _figure_swapping_render(NbElementRenderer.render_mime_type)
        NbElementRenderer.render_mime_type._klbook_figures = True
    app.add_source_parser(TranslatableNotebookParser, override=True)
    app.add_config_value("klbook_lang_peer", "", "html")
    app.connect("config-inited", _alt_text_messages)
    app.connect("doctree-read", _translate_explorers)
    app.connect("doctree-read", _quizzes)
    app.connect("doctree-read", _toctree_captions)
    app.connect("doctree-read", _exercise_titles)
    app.connect("html-page-context", _lang_switch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
