"""Translated editions (issue 14): _ext/klbook_i18n.py and tools/check_translations.py.

The build test makes a one-notebook Sphinx project with a stored glue output and
a Korean catalog, and builds it with ``-D language=ko`` and no execution: once
with plain MyST-NB (documents the upstream failure: the glue role in the
translated message finds no glue data) and once with klbook_i18n (the Korean
page shows the English run's number, -W clean).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "tools"))

import check_translations  # noqa: E402
import klbook_i18n  # noqa: E402
from klbook import explorers  # noqa: E402

NOTEBOOK = {
    "nbformat": 4, "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "cells": [
        {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Forward KL"},
        {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": 1,
         "source": "from myst_nb import glue\nglue('d', 0.4617, display=False)",
         "outputs": [{"output_type": "display_data", "metadata": {"scrapbook": {
             "name": "d", "mime_prefix": "application/papermill.record/"}},
             "data": {"application/papermill.record/text/plain": "0.4617"}}]},
        {"cell_type": "markdown", "id": "c", "metadata": {},
         "source": "The wide Normal scores {glue:text}`d:.3f` nats, $D(P\\|Q)$."},
    ],
}
KO = {"Forward KL": "순방향 KL",
      "The wide Normal scores {glue:text}`d:.3f` nats, $D(P\\|Q)$.":
          "넓은 정규분포는 {glue:text}`d:.3f` nat을 기록합니다, $D(P\\|Q)$."}


def _write_po(path, messages, fuzzy=()):
    catalog = Catalog(locale="ko")
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        write_po(handle, catalog)


def _project(tmp_path, with_fix):
    (tmp_path / "page.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    (tmp_path / "index.md").write_text("# Book\n\n```{toctree}\npage\n```\n", encoding="utf-8")
    extensions = ["myst_nb"] + (["klbook_i18n"] if with_fix else [])
    (tmp_path / "conf.py").write_text(
        f"extensions = {extensions!r}\nnb_execution_mode = 'off'\nlocale_dirs = ['locales']\n"
        "gettext_compact = False\nmyst_enable_extensions = ['dollarmath']\n", encoding="utf-8")
    _write_po(tmp_path / "locales/ko/LC_MESSAGES/page.po", KO)


def _build(tmp_path, *options):
    env = {"PYTHONPATH": f"{ROOT}:{ROOT / '_ext'}", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", "language=ko",
                           *options, str(tmp_path), str(tmp_path / "_build")],
                          capture_output=True, text=True, env=env, timeout=240)


def test_plain_mystnb_loses_glue_data_in_translations(tmp_path):
    """Upstream behaviour (MyST-NB 1.4): the translated message parses, but its glue role
    fails. If this starts passing without klbook_i18n, the extension's parser can go."""
    _project(tmp_path, with_fix=False)
    result = _build(tmp_path)
    assert "No key 'd' found in glue data" in result.stderr


def test_translated_notebook_keeps_glue_math_and_lang(tmp_path):
    _project(tmp_path, with_fix=True)
    result = _build(tmp_path, "-W")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "_build" / "page.html").read_text(encoding="utf-8")
    assert '<html lang="ko"' in page
    assert "순방향 KL" in page
    text = re.sub(r"<[^>]+>", "", page)
    assert "넓은 정규분포는 0.462 nat을 기록합니다" in text  # the English run's number
    assert r"\(D(P\|Q)\)" in page


def test_explorer_placeholder_translated():
    labels = klbook_i18n.load_labels("ko")
    html = klbook_i18n.translate_explorer_html(explorers.placeholder("forward"), labels, "ko")
    assert 'data-lang="ko"' in html
    assert "순방향 KL" in html and "This interactive figure" not in html
    with pytest.raises(ValueError, match="has no ko translation"):
        klbook_i18n.translate_explorer_html(explorers.placeholder("forward"), {}, "ko")


def _pot(path, messages):
    catalog = Catalog()
    for msgid in messages:
        catalog.add(msgid)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        write_po(handle, catalog)


def test_check_complete_catalog_passes(tmp_path):
    _pot(tmp_path / "pot/chapters/page.pot", KO)
    _write_po(tmp_path / "locales/ko/LC_MESSAGES/chapters/page.po", KO)
    assert check_translations.check(tmp_path / "pot", tmp_path / "locales", "ko") == []


@pytest.mark.parametrize("case", ["untranslated", "fuzzy", "stale", "glue", "math", "number", "no catalog"])
def test_check_fails(tmp_path, case):
    english = dict.fromkeys(KO) | {"Mean 0 and sd 3.162.": None}
    korean = dict(KO) | {"Mean 0 and sd 3.162.": "평균 0, 표준편차 3.162."}
    fuzzy = ()
    if case == "untranslated":
        korean["Forward KL"] = ""
    elif case == "fuzzy":
        fuzzy = ("Forward KL",)
    elif case == "stale":  # the English changed after the last sphinx-intl update
        english = {("Forward KL divergence" if k == "Forward KL" else k): v for k, v in english.items()}
    elif case == "glue":
        korean[next(k for k in KO if "glue" in k)] = "넓은 정규분포는 0.462 냇을 기록합니다, $D(P\\|Q)$."
    elif case == "math":
        korean[next(k for k in KO if "glue" in k)] = "넓은 정규분포는 {glue:text}`d:.3f` nat을 기록합니다, $D(Q\\|P)$."
    elif case == "number":
        korean["Mean 0 and sd 3.162."] = "평균 0, 표준편차 3.16."
    _pot(tmp_path / "pot/chapters/page.pot", english)
    if case != "no catalog":
        _write_po(tmp_path / "locales/ko/LC_MESSAGES/chapters/page.po", korean, fuzzy)
    problems = check_translations.check(tmp_path / "pot", tmp_path / "locales", "ko")
    assert problems, case
    expected = {"untranslated": "untranslated", "fuzzy": "fuzzy", "stale": "not in the catalog",
                "glue": "roles differ", "math": "math differ", "number": "numbers differ",
                "no catalog": "no catalog"}[case]
    assert expected in problems[0], problems
    if case == "glue":  # a retyped number is a number the English text does not have
        assert "numbers differ" in problems[1]
    else:
        assert len(problems) == 1, problems


def test_english_edit_makes_the_translation_fuzzy(tmp_path):
    """What sphinx-intl update does (babel's Catalog.update) to a translated message
    whose English changed a little: it keeps the old translation, marked fuzzy."""
    po = tmp_path / "locales/ko/LC_MESSAGES/chapters/page.po"
    _write_po(po, {"The wide Normal scores well.": "넓은 정규분포는 점수가 좋습니다."})
    template = Catalog()
    template.add("The wide Normal scores very well.")
    with open(po, "rb") as handle:
        catalog = read_po(handle)
    catalog.update(template)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    po.write_bytes(buffer.getvalue())
    _pot(tmp_path / "pot/chapters/page.pot", {"The wide Normal scores very well.": None})
    problems = check_translations.check(tmp_path / "pot", tmp_path / "locales", "ko")
    assert len(problems) == 1 and "fuzzy" in problems[0], problems


# -- glossary terms -------------------------------------------------------------------

def test_glossary_table_is_read_from_the_page():
    terms = check_translations.glossary_terms()
    assert terms["forward KL"] == "순방향 KL" and terms["reverse KL"] == "역방향 KL"
    assert len(terms) >= 40


@pytest.mark.parametrize(("english", "korean", "ok"), [
    ("The reverse KL fit sits on one mode.", "reverse KL 적합은 한 모드에 자리 잡습니다.", True),
    ("The reverse KL fit sits on one mode.", "역방향 KL 적합은 한 모드에 자리 잡습니다.", True),
    ("The reverse KL fit sits on one mode.", "역방향 KL 적합은 한 봉우리에 자리 잡습니다.", False),
    ("Both modes of $P$ are covered.", "$P$의 두 모드가 모두 덮입니다.", True),  # plural
    ("The model of {ref}`mode-seeking` fits.", "그 모델이 적합됩니다. {ref}`mode-seeking`", True),  # role skipped
])
def test_glossary_terms_must_be_used(english, korean, ok):
    missing = check_translations.term_problems(english, korean, check_translations.glossary_terms())
    assert (missing == []) is ok, missing


# -- figures ---------------------------------------------------------------------------

from klbook import i18n  # noqa: E402


def test_figure_text_is_translated_by_runs_of_words(monkeypatch):
    real_table = i18n.figure_table
    TABLE = {"forward fit": "순방향 적합", "nats": "nat"}
    monkeypatch.setattr(i18n, "figure_table", lambda lang: TABLE)
    assert i18n.word_runs("Q = N(3, 1.00²):  forward fit, 8.31 nats $\\log p$") == ["forward fit", "nats"]
    assert i18n.translate_text("forward fit: D(P‖Q) = 8.31 nats", "ko") == "순방향 적합: D(P‖Q) = 8.31 nat"
    assert i18n.translate_text("$p(x)$ and P", "ko", missing=set()) == "$p(x)$ and P"
    missing = set()
    assert i18n.translate_text("reverse fit", "ko", missing=missing) == "reverse fit"
    assert missing == {"reverse fit"}
    with pytest.raises(ValueError, match="'reverse fit'.*no ko translation"):
        i18n.translate_text("reverse fit", "ko")
    with pytest.raises(ValueError, match="`lang` must be one of"):
        real_table("fr")


@pytest.mark.skipif(not i18n.HANGUL_FONTS["ko"].is_file(), reason="fonts-nanum missing: tools/ensure-system-tools.sh")
def test_translated_png_draws_hangul_and_restores_the_figure(monkeypatch):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setattr(i18n, "figure_table", lambda lang: {"density": "밀도", "target P": "목표 분포 P"})
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="target P")
    ax.set_ylabel("density")
    ax.legend()
    english = io.BytesIO()
    fig.savefig(english, format="png", bbox_inches="tight")
    png, missing = i18n.translated_png(fig, "ko")
    assert missing == set()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png != english.getvalue()
    assert ax.get_ylabel() == "density" and ax.get_legend().get_texts()[0].get_text() == "target P"
    again = io.BytesIO()
    fig.savefig(again, format="png", bbox_inches="tight")
    assert again.getvalue() == english.getvalue()  # the English figure is untouched
    plt.close(fig)


def test_figure_formatter_only_with_the_environment_variable(monkeypatch):
    from IPython.core.formatters import DisplayFormatter

    class Shell:
        display_formatter = DisplayFormatter()

    monkeypatch.delenv(i18n.FIGURE_LANGS_ENV, raising=False)
    assert i18n.install_figure_formatter(Shell()) is False
    monkeypatch.setenv(i18n.FIGURE_LANGS_ENV, "fr")
    with pytest.raises(ValueError, match="`lang` must be one of"):
        i18n.install_figure_formatter(Shell())
    monkeypatch.setenv(i18n.FIGURE_LANGS_ENV, "ko")
    shell = Shell()
    assert i18n.install_figure_formatter(shell) is True
    assert i18n.FIGURE_MIME in shell.display_formatter.formatters


def test_every_figure_word_of_the_book_is_in_the_table():
    """The table is complete for the book as built: the English build records the runs
    it could not translate in each figure's metadata, and the Korean build fails on them;
    here the table is checked for entries a figure no longer uses or that are empty."""
    table = i18n.figure_table("ko")
    assert table, "klbook/i18n/figures-ko.json is empty"
    for english, korean in table.items():
        assert korean.strip(), english
        assert i18n.word_runs(english) == [english], f"key {english!r} is not a single run of words"
        assert set(re.findall(r"\d", korean)) <= set(re.findall(r"\d", english)), english


# -- quizzes ---------------------------------------------------------------------------

QUIZ = ('<script type="application/javascript">var questionsabc=[{"question": "Where is the peak?", '
        '"type": "multiple_choice", "answers": [{"answer": "between the modes", "correct": true, '
        '"feedback": "Right. D(P\\u2016Q) = 0.916 nats."}]}];\nfunction f() { x.innerHTML = "Correct!"; }</script>')


def test_quiz_strings_and_translation():
    assert klbook_i18n.quiz_strings(QUIZ) == ["Where is the peak?", "between the modes",
                                               "Right. D(P\u2016Q) = 0.916 nats.", "Correct!"]
    ko = {"Where is the peak?": "봉우리는 어디에 있습니까?", "between the modes": "두 모드 사이",
          "Right. D(P\u2016Q) = 0.916 nats.": "맞습니다. D(P\u2016Q) = 0.916 nat.", "Correct!": "정답입니다!"}
    out = klbook_i18n.translate_quiz(QUIZ, ko.__getitem__)
    assert klbook_i18n.quiz_strings(out.replace("정답입니다!", "Correct!")) == list(ko.values())[:3] + ["Correct!"]
    assert '"correct": true' in out and out.startswith('<script type="application/javascript">var questionsabc=[')
    assert '"정답입니다!"' in out and "function f()" in out
    assert klbook_i18n.quiz_strings("<script>var x = 1;</script>") == []


def test_set_language_draws_a_notebooks_own_figures_in_korean():
    """In a kernel, after klbook.i18n.set_language("ko") (the first cell of every Korean
    notebook), a figure shown with plt.show() has Korean words; back to English, English."""
    import nbclient
    import nbformat

    cells = [
        "import matplotlib.pyplot as plt\nimport klbook.i18n\n"
        "def show():\n    fig, ax = plt.subplots(figsize=(2, 1.5))\n    ax.plot([0, 1], [0, 1], label='target')\n"
        "    ax.set_ylabel('density')\n    ax.legend()\n    plt.show()\n"
        "    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, 'get_text')) if t.get_text()]",
        "print(show())",
        "klbook.i18n.set_language('ko')\nprint(show())",
        "klbook.i18n.set_language('en')\nprint(show())",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}}).execute()
    texts = [next(o["text"] for o in notebook.cells[i].outputs if o.get("name") == "stdout") for i in (1, 2, 3)]
    pngs = [next(o["data"]["image/png"] for o in notebook.cells[i].outputs if "image/png" in o.get("data", {}))
            for i in (1, 2, 3)]
    assert "'density'" in texts[0] and "'target'" in texts[0]
    assert "'밀도'" in texts[1] and "'목표 분포'" in texts[1]
    assert "'density'" in texts[2]
    assert pngs[0] != pngs[1] and pngs[0] == pngs[2]


def test_quiz_script_survives_mathjax_not_loaded_yet():
    script = "if (typeof MathJax != 'undefined') {\n    var version = MathJax.version;\n    if (version[0] == '2') {}"
    safe = klbook_i18n.safe_quiz_mathjax(script)
    assert 'var version = MathJax.version || "";' in safe and "MathJax.version;" not in safe
    assert klbook_i18n.safe_quiz_mathjax("const v = MathJax.version;") == 'const v = MathJax.version || "";'
