"""The live apps in Korean: every word from klbook/i18n/widgets-ko.json (the
apps' templates) or figures-ko.json (their figures), the numbers unchanged,
English untouched when the language is English."""

import ast
import html
import re
from pathlib import Path

import ipywidgets as W
import matplotlib.text
import pytest

from klbook import _apps, _apps_alpha, explorers, i18n, plotting, widgets
from klbook._widgets_alpha import dial_name
from test_widgets import APPS, controls, extremes, walk

ROOT = Path(__file__).resolve().parents[1]
MODULES = [ROOT / "klbook" / "widgets.py", *sorted((ROOT / "klbook").glob("_widgets_*.py"))]
APP_KEYS = ("glance", "discrete", "forward", "reverse", "phase", "alpha", "meanfield", "estimate",
            "rlhf", "distill")
PLACEHOLDER = re.compile(r"\{(\w*)\}")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# English sentence words; identifiers (k1, N(…), D(P‖Q), log, argmax) and math are allowed.
ENGLISH = re.compile(r"\b(the|of|and|with|from|is|are|to|at|on|by|for|in|an|nats|bits|mean|sd)\b")
# A Korean particle straight after a placeholder whose reading (a number, a name) varies.
PARTICLE = re.compile(r"\}(은|는|이|가|을|를|과|와|으로|로)(?![\w가-힣])")


def _called_templates(path):
    """The constant first arguments of _t(...), widget_text(...) and N_(...) in `path`."""
    found, dynamic = [], []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_t", "widget_text", "N_"):
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append(arg.value)
            else:
                dynamic.append(ast.unparse(arg))
    return found, dynamic


def templates():
    """Every template the live apps look up: the constants in their source, and
    the names they look up from tables (colours, line styles, titles, families, regimes)."""
    found = []
    for path in MODULES:
        found += _called_templates(path)[0]
    found += list(plotting.COLOUR_NAMES.values()) + list(plotting.LINESTYLE_NAMES.values())
    found += [explorers.TITLES[key] for key in APP_KEYS]
    found += [label for label, _ in _apps.FAMILIES] + list(_apps_alpha.REGIMES)
    found += [dial_name(0.0), dial_name(1.0), "distinct", "tie", "mean", "bias", "std", "std / true"]
    return list(dict.fromkeys(found))


#: Lookups made through a variable, and where their templates are listed in templates().
DYNAMIC = {"colour_name(role)", "COLOUR_NAMES[rs['color']]",
           "LINESTYLE_NAMES[linestyle or rs['linestyle']]", "title", "label", "unit.value",
           "dict(((v, k) for k, v in FAMILIES))[family.value]", "name",
           "_apps_alpha.REGIMES[st.regime]", "preset", "preset.value", "head",
           "OBJECTIVE_LABELS[state.objective]"}


@pytest.fixture
def korean():
    i18n.set_language("ko")
    yield
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def table():
    return i18n.widget_table("ko")


def test_every_lookup_through_a_variable_is_listed():
    dynamic = {d for path in MODULES for d in _called_templates(path)[1]}
    assert dynamic <= DYNAMIC, dynamic - DYNAMIC


def test_table_is_complete_and_has_no_unused_key():
    used = templates()
    missing = [t for t in used if t not in table()]
    assert missing == [], missing
    assert sorted(set(table()) - set(used)) == []


@pytest.mark.parametrize("template", templates())
def test_translation_keeps_placeholders_digits_and_directions(template):
    ko = table()[template]
    assert sorted(PLACEHOLDER.findall(ko)) == sorted(PLACEHOLDER.findall(template))
    assert sorted(re.findall(r"\d", ko)) == sorted(re.findall(r"\d", template))
    for symbol in ("D(P‖Q)", "D(Q‖P)", "D(a‖b)", "D(π*‖π_ref)", "D(P_T‖Q)", "D(Q‖P_T)", "D_α(P‖Q)",
                   "∞", "<b>", "</b>", "<i>", "</i>", "<br>", "&lt;"):
        assert ko.count(symbol) == template.count(symbol), symbol
    assert re.findall(r"style='[^']*'", ko) == re.findall(r"style='[^']*'", template)
    assert not PARTICLE.search(ko), ko


def test_unknown_language_is_rejected():
    with pytest.raises(ValueError, match=r"`lang` must be one of \('en', 'ko'\), got 'fr'"):
        i18n.set_language("fr")
    assert i18n.get_language() == "en"


def test_missing_korean_entry_raises(korean):
    with pytest.raises(ValueError, match="has no ko translation"):
        i18n.widget_text("a sentence nobody translated")
    assert i18n.widget_text("N(mean {mean}, sd {sd})", mean="0.00", sd="1.00") == "N(평균 0.00, 표준편차 1.00)"


def _visible(box):
    """Every text a reader sees or hears: HTML (alt text included), descriptions, option labels."""
    out = []
    for w in walk(box):
        if isinstance(w, W.HTML):
            value = re.sub(r'src="data:[^"]*"', "", w.value)
            alt = re.search(r'alt="([^"]*)"', value)
            out.append(alt.group(1) if alt else value)
        if getattr(w, "description", ""):
            out.append(w.description)
        if isinstance(w, (W.Dropdown, W.ToggleButtons)):
            out += [label for label, _ in w.options]
    return out


# Names and symbols kept in Korean text (the Korean edition writes "nat" for the unit).
IDENTIFIERS = re.compile(r"(?<![A-Za-z])(log|exp|argmax|min|JSD|KL|GKD|DistiLLM|RLHF|nat)(?![A-Za-z])")


def _words(text):
    """`text` without markup, entities, identifiers and N(...)/D(...) terms."""
    text = re.sub(r"<[^>]*>|&\w+;", " ", text)
    text = re.sub(r"[A-Za-z_]+\([^)]*\)", " ", text)
    return IDENTIFIERS.sub(" ", text)


def _numbers(box):
    """The numbers a reader sees (markup and entities left out; "rank-4" is 4, "−2.50" is −2.50)."""
    texts = [html.unescape(re.sub(r"<[^>]*>", " ", t)) for t in _visible(box)]
    return [re.findall(r"(?<![A-Za-z])[−-]?\d+(?:\.\d+)?", t) for t in texts]


def _assert_korean(box, where):
    widgets_ = [w for w in walk(box) if isinstance(w, W.HTML) and w.value]
    for w in widgets_:
        assert "This update failed" not in w.value and "업데이트가 실패" not in w.value, where
    for text in _visible(box):
        words = _words(text)
        if re.search(r"[A-Za-z]{3,}", words):
            assert HANGUL.search(text), f"{where}: no Hangul in {text!r}"
        hit = ENGLISH.search(words)
        assert hit is None, f"{where}: English {hit.group(0)!r} in {text!r}"


@pytest.mark.parametrize("name", sorted(APPS))
def test_every_control_extreme_is_safe_in_korean(name, korean):
    box = APPS[name]()
    _assert_korean(box, f"{name} default")
    for c in controls(box):
        for v in extremes(c):
            c.value = v
            assert [o for w in walk(box) if isinstance(w, W.Output) for o in w.outputs] == []
            _assert_korean(box, f"{name}: {c.description}={v!r}")


@pytest.mark.parametrize("name", sorted(APPS))
def test_language_changes_words_not_numbers(name):
    """The same control positions give the same numbers in English and Korean,
    and English again after Korean is exactly English."""
    def run():
        box = APPS[name]()
        seen = [_numbers(box)]
        for c in controls(box)[:2]:
            for v in extremes(c)[:2]:
                c.value = v
                seen.append(_numbers(box))
        return seen, [v for w in walk(box) if isinstance(w, W.HTML) for v in [w.value]]

    english, english_html = run()
    i18n.set_language("ko")
    korean_, korean_html = run()
    i18n.set_language("en")
    again, again_html = run()
    assert again_html == english_html
    assert korean_html != english_html

    def multiset(seen):
        return [sorted(n for texts in state for n in texts) for state in seen]
    # Korean text carries the same numbers (a few digits inside English words, e.g.
    # "top 3", come from the templates and are kept by the table).
    assert multiset(korean_) == multiset(english)


@pytest.mark.parametrize("name", sorted(APPS))
def test_figure_words_are_in_the_figures_table(name, monkeypatch):
    """Every run of words on an app's English figure has a Korean translation, and
    the Korean app's figure shows translated words with the Hangul font as a fallback."""
    figures = []
    real = widgets._Canvas.__init__

    def record(self, *args, **kwargs):
        real(self, *args, **kwargs)
        figures.append(self.fig)

    monkeypatch.setattr(widgets._Canvas, "__init__", record)
    APPS[name]()
    (fig,) = figures
    runs = {run for t in fig.findobj(matplotlib.text.Text) for run in i18n.word_runs(t.get_text())}
    assert sorted(runs - set(i18n.figure_table("ko"))) == []
    i18n.set_language("ko")
    APPS[name]()
    korean_fig = figures[-1]
    texts = [t for t in korean_fig.findobj(matplotlib.text.Text) if HANGUL.search(t.get_text())]
    assert texts
    family = i18n.hangul_family("ko")
    assert all(family in t.get_fontfamily() for t in texts)
    # Latin left on the Korean figure is only what the table's translations keep (KL, nat, log p).
    kept = {run for value in i18n.figure_table("ko").values() for run in i18n.word_runs(value)}
    left = {run for t in korean_fig.findobj(matplotlib.text.Text)
            for run in i18n.word_runs(t.get_text())} - kept
    assert left == set()


@pytest.mark.parametrize("name", ["forward_explorer", "reverse_explorer"])
def test_target_with_no_mass_is_explained_in_korean(name, korean):
    box = APPS[name]()
    for c in controls(box):
        if c.description.startswith("가중치"):
            c.value = 0.0
    _assert_korean(box, name)
    assert any("P에 질량이 없습니다" in w.value for w in walk(box) if isinstance(w, W.HTML))


def test_discrete_no_mass_and_infinity_in_korean(korean):
    box = widgets.discrete_explorer(p=(0.5, 0.5, 0.0), q=(0.5, 0.25, 0.25), labels=("a", "b", "c"))
    readout = " ".join(w.value for w in walk(box) if isinstance(w, W.HTML))
    assert "D(Q‖P) = ∞: P가 결코 만들지 않는 결과에 Q가 확률을 줍니다." in readout
    for c in controls(box):
        if isinstance(c, W.FloatSlider):
            c.value = 0.0
    _assert_korean(box, "no mass")
    readout = " ".join(w.value for w in walk(box) if isinstance(w, W.HTML))
    assert "<b>P와 Q에 질량이 없습니다:</b>" in readout


def test_callback_errors_are_shown_in_korean(korean, monkeypatch):
    box = widgets.glance_explorer()
    monkeypatch.setattr(widgets._apps, "glance_state", lambda *a: 1 / 0)
    controls(box)[0].value = 1.0
    shown = " ".join(w.value for w in walk(box) if isinstance(w, W.HTML))
    assert "<b>이 업데이트가 실패했습니다:</b> ZeroDivisionError: division by zero (자세한 내용은 아래)" in shown
