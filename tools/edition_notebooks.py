"""The notebooks of a translated edition (issue 14): what its download button gives.

Each chapter notebook of the edition is generated, never edited: its code cells
are the English notebook's, its outputs the English run's (the jupyter-cache
execution the edition's pages show, each figure as drawn with the edition's
words), and each paragraph, heading, list item, table cell, directive title and
figure caption or alt text of its Markdown cells is replaced by its translation
from the page's catalog (``locales/<lang>/LC_MESSAGES/chapters/<page>.po``).
The blocks are found with markdown-it, the parser MyST uses, so a block's text is
exactly the message Sphinx extracted from it. Display math, code, labels and
HTML stay as they are.

Usage (after the edition's build): python tools/edition_notebooks.py LANG
"""

from __future__ import annotations

import base64
import copy
import json
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from klbook.i18n import FIGURE_MIME  # noqa: E402

_MD = MarkdownIt("commonmark").enable("table").use(dollarmath_plugin).use(colon_fence_plugin)
_DIRECTIVE = re.compile(r"^\{([\w:-]+)\}\s*(.*)$")
_OPTION = re.compile(r"^:[\w-]+:")
_LABEL = re.compile(r"^\([\w:.-]+\)=$")
# Directives whose argument is a label, not words.
_LABEL_ARGUMENT = {"solution-start", "solution", "solution-end", "exercise-start"}


def catalog(lang, page):
    """msgid -> msgstr of one page (translated, not fuzzy)."""
    path = ROOT / "locales" / lang / "LC_MESSAGES" / "chapters" / f"{page}.po"
    with open(path, "rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and m.string and not m.fuzzy}


def _message(text):
    return text.replace("\n", " ").strip()


class Translator:
    """Translates Markdown through one page's catalog; records what it could not."""

    def __init__(self, messages):
        self.messages = messages
        self.missing = []
        self.used = 0

    def text(self, english):
        key = _message(english)
        if not key:
            return english
        if key in self.messages:
            self.used += 1
            return self.messages[key]
        self.missing.append(key)
        return english

    def markdown(self, source):
        lines = source.split("\n")
        tokens = _MD.parse(source)
        edits = []  # (first line, last line + 1, new lines)
        rows = {}
        for i, token in enumerate(tokens):
            if token.type == "inline" and token.map and tokens[i - 1].type in ("paragraph_open", "heading_open"):
                if _LABEL.match(token.content.strip()):
                    continue  # a MyST target, (name)=
                start, stop = token.map
                first = lines[start]
                head = token.content.split("\n", 1)[0]
                at = first.find(head) if head else -1
                if at < 0:
                    self.missing.append(_message(token.content))
                    continue
                edits.append((start, stop, [first[:at] + self.text(token.content)]))
            elif token.type == "inline" and token.map and tokens[i - 1].type in ("th_open", "td_open"):
                rows.setdefault(token.map[0], []).append(token.content)
            elif token.type in ("fence", "colon_fence") and token.map:
                match = _DIRECTIVE.match(token.info.strip())
                if not match:
                    continue  # a code block
                start, stop = token.map
                opener, closer = lines[start], lines[stop - 1]
                argument = match.group(2)
                if argument and match.group(1) not in _LABEL_ARGUMENT:
                    opener = opener.replace(argument, self.text(argument), 1)
                body = token.content.split("\n")
                options = 0
                while options < len(body) and _OPTION.match(body[options]):
                    options += 1
                inner = self.markdown("\n".join(body[options:]).rstrip("\n"))
                new = [opener, *body[:options], *inner.split("\n")]
                if stop - 1 > start and closer.strip().startswith(("```", ":::")):
                    new.append(closer)
                edits.append((start, stop, new))
        for line, cells in rows.items():
            text = lines[line]
            for cell in cells:
                if cell.strip():
                    text = text.replace(cell, self.text(cell), 1)
            edits.append((line, line + 1, [text]))
        for start, stop, new in sorted(edits, reverse=True):
            lines[start:stop] = new
        return "\n".join(lines)


def _figure_outputs(outputs, lang):
    """The outputs with each figure drawn in `lang` and the carrier mime type removed."""
    out = []
    for output in outputs:
        output = copy.deepcopy(output)
        data, metadata = output.get("data", {}), output.get("metadata", {})
        drawings = metadata.pop(FIGURE_MIME, None)
        data.pop(FIGURE_MIME, None)
        if "image/png" in data:
            if not drawings or lang not in drawings:
                raise ValueError(f"a figure has no {lang} drawing (build with KLBOOK_FIGURE_LANGS={lang})")
            data["image/png"] = drawings[lang]
            base64.b64decode(drawings[lang], validate=True)
        out.append(output)
    return out


LANGUAGE_CELL_TEXT = {
    "ko": "# 한국어판: 이 노트북의 위젯과 그림을 한국어로 보여 줍니다.\n",
}


def language_cell(lang):
    """The code cell a generated notebook starts with (marked ``klbook: language``)."""
    return {
        "cell_type": "code", "execution_count": None, "id": f"klbook-language-{lang}",
        "metadata": {"klbook": "language", "tags": ["remove-cell"]}, "outputs": [],
        "source": f"{LANGUAGE_CELL_TEXT[lang]}import klbook.i18n\nklbook.i18n.set_language({lang!r})",
    }


def on_page(cell):
    """False for a cell the book's page does not show (removed, or a slide's speaker notes)."""
    metadata = cell.get("metadata", {})
    return ("remove-cell" not in metadata.get("tags", [])
            and metadata.get("slideshow", {}).get("slide_type") != "notes")


def executed_notebook(page, cache_path):
    """chapters/<page>.ipynb with the outputs of its run in the jupyter-cache (the run both
    editions show)."""
    import nbformat
    from jupyter_cache import get_cache

    notebook = nbformat.read(ROOT / "chapters" / f"{page}.ipynb", as_version=4)
    try:
        _, merged = get_cache(str(cache_path)).merge_match_into_notebook(notebook)
    except KeyError as error:
        raise ValueError(f"chapters/{page}.ipynb has no run in the jupyter-cache {cache_path}: "
                         "build the English book first (make book)") from error
    return json.loads(nbformat.writes(merged))


def edition_notebook(page, lang, cache_path):
    """The `lang` notebook of chapters/<page>.ipynb, and the messages it could not translate."""
    english = json.loads((ROOT / "chapters" / f"{page}.ipynb").read_text(encoding="utf-8"))
    executed = executed_notebook(page, cache_path)
    translator = Translator(catalog(lang, page))
    notebook = copy.deepcopy(english)
    code = [c for c in executed["cells"] if c["cell_type"] == "code"]
    ran = iter(code)
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown" and not on_page(cell):
            continue  # a lecturer's note of the slides, not on the page (and so in no catalog)
        if cell["cell_type"] == "markdown":
            cell["source"] = translator.markdown(source)
        elif cell["cell_type"] == "code":
            run = next(ran)
            run_source = "".join(run["source"]) if isinstance(run["source"], list) else run["source"]
            if run_source != source:
                raise ValueError(f"{page}: the executed notebook's code differs from chapters/{page}.ipynb")
            cell["outputs"] = _figure_outputs(run.get("outputs", []), lang)
            mystnb = cell.get("metadata", {}).get("mystnb", {})
            for key, field in (("figure", "caption"), ("image", "alt")):
                if field in mystnb.get(key, {}):
                    mystnb[key][field] = translator.text(mystnb[key][field])
    # One cell more than the English notebook, first: the live apps and the figures
    # then speak the edition's language when the notebook runs (klbook.i18n.set_language).
    notebook["cells"].insert(0, language_cell(lang))
    notebook["metadata"]["klbook"] = {"edition": lang, "generated_from": f"chapters/{page}.ipynb"}
    return notebook, translator.missing


def write_notebooks(lang, site, cache_path):
    """Write every chapter's `lang` notebook where the edition's download button points."""
    problems = {}
    written = 0
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        notebook, missing = edition_notebook(path.stem, lang, cache_path)
        if missing:
            problems[path.stem] = missing
        target = Path(site) / "_sources" / "chapters" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written += 1
    return written, problems


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    lang = argv[0]
    written, problems = write_notebooks(lang, ROOT / "_build" / "html" / lang, ROOT / "_build" / ".jupyter_cache")
    for page, missing in problems.items():
        for text in missing:
            print(f"{page}: not translated: {text[:100]!r}")
    print(f"[{lang}] {written} notebooks written, {sum(map(len, problems.values()))} block(s) untranslated")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
