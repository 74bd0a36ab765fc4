"""The explorers' label tables (klbook/i18n/<lang>.json): every word the explorers
show has a translation that keeps its placeholders, numbers, markup and math.

The keys are the English templates of the script's ``t("...")`` calls
(klbook/static/**/*.js) and the words klbook hands the page
(``explorers.shown_labels()``: headings, palette words, fallback text, words of
the data). P is the target and Q the model: D(P‖Q) is the forward KL, D(Q‖P)
the reverse KL, in every language.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from klbook import explorers

STATIC = explorers.STATIC_DIR
TABLES = explorers.label_tables()

_STRING = r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
# t("...") or K.t("..."), the template possibly split over "..." + "..." pieces.
_CALL = re.compile(r'(?<![\w.$])(?:K\.)?t\(\s*((?:' + _STRING + r')(?:\s*\+\s*(?:' + _STRING + r'))*)')
_ANY_CALL = re.compile(r'(?<!function )(?<![\w.$])(?:K\.)?t\(\s*([^,)]*)')
# Calls whose template is a word of the app's data, not a literal: each must be
# one of explorers.DATA_LABELS (checked against the shipped data in test_explorers.py).
DYNAMIC = {"p.name", "f[0]", "fam[0]", "u", "data.regimes[st[3]]", "data.presets[ip]"}
PLACEHOLDER = re.compile(r"\{(\w+)\}")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
TAG = re.compile(r"</?\w+[^>]*>|&\w+;")
DIVERGENCE = re.compile(r"D(?:_α)?\([^()]*\)")


def _literal(text):
    if text[0] == "'":
        text = '"' + text[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
    return json.loads(text)


def script_templates():
    """Every literal template of a t(...) call in the explorers' scripts."""
    found = {}
    for path in sorted(STATIC.rglob("*.js")):
        for match in _CALL.finditer(path.read_text(encoding="utf-8")):
            template = "".join(_literal(piece) for piece in re.findall(_STRING, match.group(1)))
            found.setdefault(template, path.relative_to(STATIC).as_posix())
    return found


TEMPLATES = script_templates()
WANTED = set(TEMPLATES) | explorers.shown_labels()


def test_the_scripts_use_t():
    assert len(TEMPLATES) > 150
    assert "N(mean {mean}, sd {sd})" in TEMPLATES


def test_every_call_of_t_is_a_literal_or_a_registered_data_word():
    for path in sorted(STATIC.rglob("*.js")):
        for match in _ANY_CALL.finditer(path.read_text(encoding="utf-8")):
            arg = match.group(1).strip()
            assert arg[:1] in ("'", '"') or arg in DYNAMIC, f"{path.name}: t({arg} ...)"


def test_there_is_a_korean_table():
    assert "ko" in TABLES


@pytest.mark.parametrize("lang", sorted(TABLES))
def test_every_label_has_a_translation(lang):
    table = TABLES[lang]
    missing = sorted(k for k in WANTED if not (isinstance(table.get(k), str) and table[k].strip()))
    assert not missing, f"{lang}.json lacks: {missing}"


@pytest.mark.parametrize("lang", sorted(TABLES))
def test_no_unused_labels(lang):
    assert sorted(set(TABLES[lang]) - WANTED) == []


@pytest.mark.parametrize("lang", sorted(TABLES))
def test_translations_keep_placeholders_numbers_markup_and_math(lang):
    for key, value in TABLES[lang].items():
        assert set(PLACEHOLDER.findall(key)) == set(PLACEHOLDER.findall(value)), (key, value)
        extra = set(NUMBER.findall(value)) - set(NUMBER.findall(key))
        assert not extra, f"{value!r} has numbers {extra} that {key!r} does not"
        assert Counter(TAG.findall(key)) == Counter(TAG.findall(value)), (key, value)
        # D(P‖Q) stays D(P‖Q): a translation never swaps the directions.
        assert Counter(DIVERGENCE.findall(key)) == Counter(DIVERGENCE.findall(value)), (key, value)


def test_korean_keeps_the_directions_of_the_glossary():
    for key, value in TABLES["ko"].items():
        low = key.lower()
        if "forward" in low:
            assert "순방향" in value or "forward" in value, (key, value)
        if "reverse" in low:
            assert "역방향" in value or "reverse" in value, (key, value)
        if "forward" not in low:
            assert "순방향" not in value, (key, value)
        if "reverse" not in low:
            assert "역방향" not in value, (key, value)


def test_korean_sentences_are_hangul():
    hangul = re.compile(r"[\uac00-\ud7a3]")
    for key, value in TABLES["ko"].items():
        if re.search(r"[A-Za-z]{3,}", PLACEHOLDER.sub("", TAG.sub("", key))) and key.count(" ") >= 3:
            assert hangul.search(value), (key, value)


def test_the_labels_reach_the_browser():
    scripts = explorers._scripts()
    assert scripts[explorers.SCRIPT].endswith(f"window.klbookExplorers.run({json.dumps(sorted(TABLES))});\n")
    for lang, table in TABLES.items():
        text = scripts[f"klbook-labels-{lang}.js"]
        prefix = f'(window.KLBOOK_LABELS = window.KLBOOK_LABELS || {{}})["{lang}"] = '
        assert text.startswith(prefix) and text.endswith(";\n")
        assert json.loads(text[len(prefix):-2]) == table


def test_write_assets_writes_the_label_scripts(tmp_path, monkeypatch):
    monkeypatch.setattr(explorers, "APPS", ())  # no data files: only the scripts
    explorers.write_assets(tmp_path)
    for lang in TABLES:
        assert (tmp_path / f"klbook-labels-{lang}.js").read_text(encoding="utf-8") == \
            explorers._scripts()[f"klbook-labels-{lang}.js"]


def test_the_table_files_are_tidy():
    for path in sorted(Path(explorers.LABELS_DIR).glob("*.json")):
        text = path.read_text(encoding="utf-8")
        table = json.loads(text)
        assert text == json.dumps(table, ensure_ascii=False, indent=2) + "\n", f"{path.name}: run json.dumps(indent=2)"
