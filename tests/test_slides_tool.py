"""tools/build_slides.py: MyST cells become plain Markdown for the slide decks.

The decks are exported by nbconvert, which knows nothing of MyST. These tests
pin the rewriting rules on small inputs and on the real chapters (no MyST
syntax may reach a slide); the decks themselves are opened in a browser by
tests/browser/test_slides.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("build_slides", ROOT / "tools" / "build_slides.py")
build_slides = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_slides)

VALUES = {
    "d_pq": {"text/plain": "0.106405"},
    "name": {"text/plain": "'forward'"},
    "table": {"text/markdown": "| a | b |\n|---|---|\n| 1 | 2 |", "text/plain": "<table>"},
}
DOCS = {"forward-kl": "Forward KL"}


def convert(text):
    return build_slides.myst_to_markdown(text, VALUES, DOCS)


def test_glue_roles_become_their_values():
    assert convert("D = {glue:text}`d_pq:.3f` nats") == "D = 0.106 nats"
    assert convert("raw {glue:text}`d_pq`, named {glue:}`name`") == "raw 0.106405, named forward"
    assert convert("{glue:math}`d_pq:.2f`") == "$0.11$"
    assert convert("{glue:md}`table`") == VALUES["table"]["text/markdown"]


def test_unknown_glue_and_bad_format_are_errors():
    with pytest.raises(build_slides.MystError, match="'nope', which the notebook does not glue"):
        convert("{glue:text}`nope:.2f`")
    with pytest.raises(build_slides.MystError, match="does not take format"):
        convert("{glue:text}`name:.2f`")


def test_cross_references_become_text_or_book_links():
    assert convert("see {doc}`forward-kl`") == "see [Forward KL](../chapters/forward-kl.html)"
    assert convert("see {doc}`the chapter <reverse-kl>`") == "see [the chapter](../chapters/reverse-kl.html)"
    assert convert("see {ref}`the proof <sec-proof>` and {numref}`fig-1`") == "see the proof and fig-1"
    assert convert("[Forward KL](forward-kl.ipynb#moments)") == "[Forward KL](../chapters/forward-kl.html#moments)"
    assert convert("[site](https://example.org/a.md)") == "[site](https://example.org/a.md)"


def test_directives_labels_and_comments():
    text = "(sec-a)=\n% a comment\n```{note}\n:class: dropdown\nBe careful.\n```\n:::{math}\nx^2\n:::"
    assert convert(text) == "> **Note.**\n>\n> Be careful.\n$$\nx^2\n$$"
    assert convert("```{admonition} Why\nBecause.\n```") == "> **Why.**\n>\n> Because."
    assert convert("````{figure-md} f\n```{note}\nIn.\n```\n````") == "> **Note.**\n>\n> In."


def test_unclosed_directive_is_an_error():
    with pytest.raises(build_slides.MystError, match="not closed"):
        convert("```{note}\nnever closed")


def test_prepare_applies_tags_and_drops_glue_outputs():
    glue_out = nbformat.v4.new_output(
        "display_data",
        data={"application/papermill.record/text/plain": "1.5"},
        metadata={"scrapbook": {"name": "x", "mime_prefix": "application/papermill.record/"}},
    )
    png = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("glue('x', 1.5)", outputs=[glue_out], metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_code_cell("plot()", outputs=[png],
                                  metadata={"tags": ["remove-input"], "mystnb": {"image": {"alt": "A plot."}}}),
        nbformat.v4.new_markdown_cell("x is {glue:text}`x:.1f`"),
    ])
    out = build_slides.prepare(nb, DOCS)
    assert [c.cell_type for c in out.cells] == ["code", "markdown"]
    assert out.cells[0].metadata["transient"] == {"remove_source": True}
    assert out.cells[0].outputs[0].metadata["alt"] == "A plot."
    assert out.cells[1].source == "x is 1.5"
    assert nb.cells[2].source == "x is {glue:text}`x:.1f`"  # the input is not modified


def test_speaker_notes_stay_and_figure_code_goes():
    png = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    printed = nbformat.v4.new_output("stream", text="D = 0.1\n")
    notes = nbformat.v4.new_markdown_cell("Ask the room first.",
                                          metadata={"tags": ["remove-cell"], "slideshow": {"slide_type": "notes"}})
    hidden = nbformat.v4.new_markdown_cell("not for slides", metadata={"tags": ["remove-cell"]})
    nb = nbformat.v4.new_notebook(cells=[
        notes, hidden,
        nbformat.v4.new_code_cell("plt.plot(x)", outputs=[png]),
        nbformat.v4.new_code_cell("print(d)", outputs=[printed]),
        nbformat.v4.new_code_cell("x = 1", outputs=[]),
    ])
    out = build_slides.prepare(nb, DOCS)
    assert [c.source for c in out.cells] == ["Ask the room first.", "plt.plot(x)", "print(d)", "x = 1"]
    hidden_source = [c.metadata.get("transient", {}).get("remove_source", False) for c in out.cells[1:]]
    assert hidden_source == [True, False, False]


def test_every_chapter_converts_cleanly():
    """The real chapters: every deck's markdown is free of MyST syntax (or this raises)."""
    chapters = build_slides.toc_chapters(ROOT)
    names = [p.stem for p in chapters]
    assert names and not any(n.startswith("exercises-") for n in names), names
    docs = build_slides.doc_titles(ROOT)
    for path in chapters:
        nb = build_slides.prepare(nbformat.read(path, as_version=4), docs)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                assert not build_slides._LEFTOVER.search(cell.source), (path.name, cell.source[:200])


def test_every_deck_notebook_scrolls_in_rise():
    """Live slides (jupyterlab-rise) read the notebook's "rise" metadata: without
    scroll and with vertical centring, a widget slide taller than the screen is cut
    off. tools/binder_check.py --lab checks one such slide in a real RISE session."""
    decks = [p for p in sorted((ROOT / "chapters").glob("*.ipynb"))
             if any(c.metadata.get("slideshow") for c in nbformat.read(p, as_version=4).cells)]
    assert decks, "no chapter carries slide metadata"
    for path in decks:
        rise = nbformat.read(path, as_version=4).metadata.get("rise", {})
        assert rise.get("scroll") is True and rise.get("center") is False, f"{path.name}: rise metadata {rise}"
