"""Fail on a translation that no longer matches the English book (issue 14).

The English pages are the source: ``sphinx-build -b gettext`` (no execution)
writes one template per page (``<pot_dir>/chapters/<page>.pot``); the
translation is ``locales/<lang>/LC_MESSAGES/chapters/<page>.po``. A problem is

* a page with no catalog, or an English message the catalog lacks (English
  changed and ``sphinx-intl update`` was not run: the edition would silently
  show the new English text);
* an untranslated message (empty msgstr: Sphinx shows the English);
* a fuzzy message (``sphinx-intl update`` matched a changed English message to
  an old translation: Sphinx ignores it and shows the English);
* a translation that drops or changes what must be carried over verbatim:
  ``$...$`` math, ``{glue...}`name``` and other roles, link targets, numbers;
* a translation of an English message that uses a term of the glossary
  (``chapters/glossary.md``'s table) without that term or its Korean gloss:
  the edition must use its terms consistently.

Usage: python tools/check_translations.py POT_DIR LOCALE_DIR LANG [PAGE ...]
(PAGE, e.g. ``forward-kl``: check only those pages' catalogs.)
Exit status 1 and one line per problem, or 0 and a summary.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po

_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")
_CODE = re.compile(r"`[^`]*`")
ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "chapters" / "glossary.md"


def glossary_terms(path=GLOSSARY):
    """English -> Korean term pairs of the glossary page's table (its first two columns)."""
    pairs = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] != "English" and not set(cells[0]) <= {"-"}:
            pairs[cells[0]] = cells[1]
    if not pairs:
        raise ValueError(f"no term table found in {path}")
    return pairs


def _prose(text):
    """The words of a message: math, roles, inline code and link targets removed."""
    return _LINK.sub(" ", _CODE.sub(" ", _ROLE.sub(" ", _MATH.sub(" ", text))))


def term_problems(msgid, msgstr, terms):
    """Glossary terms the English uses that the translation renders neither as the
    term itself nor as its Korean gloss."""
    english, translated = _prose(msgid).lower(), msgstr.lower()
    missing = []
    for en, ko in terms.items():
        if re.search(r"(?<![\w-])" + re.escape(en.lower()) + r"(?:s|es)?(?![\w-])", english):
            if en.lower() not in translated and ko.lower() not in translated:
                missing.append(f"{en} ({ko})")
    return missing


def invariants(text):
    """What a translation must carry over unchanged: math spans, roles, link targets, numbers."""
    roles = _ROLE.findall(text)
    rest = _ROLE.sub(" ", _MATH.sub(" ", text))
    return {
        "math": Counter(m.strip() for m in _MATH.findall(text)),
        "roles": Counter(roles),
        "links": Counter(_LINK.findall(text)),
        "numbers": Counter(_NUMBER.findall(_LINK.sub(" ", rest))),
    }


def _read(path):
    with open(path, "rb") as handle:
        return read_po(handle)


def check(pot_dir, locale_dir, lang, terms=None, pages=None):
    """Problems (list of strings) of the `lang` catalogs against the templates in `pot_dir`
    (`terms`: English -> translated glossary terms; the glossary page's by default)."""
    pot_dir, locale_dir = Path(pot_dir), Path(locale_dir)
    terms = glossary_terms() if terms is None else terms
    templates = sorted(pot_dir.rglob("*.pot"))
    if not templates:
        raise ValueError(f"`pot_dir` holds no .pot file (run sphinx-build -b gettext): {pot_dir}")
    problems = []
    for pot in templates:
        rel = pot.relative_to(pot_dir).with_suffix(".po")
        if rel.parts[0] == "_static" or (pages and rel.stem not in pages):
            continue
        po_path = locale_dir / lang / "LC_MESSAGES" / rel
        if not po_path.is_file():
            problems.append(f"{rel}: no catalog {po_path}")
            continue
        catalog = _read(po_path)
        for message in _read(pot):
            if not message.id:
                continue
            where = f"{po_path}: {message.id[:60]!r}"
            entry = catalog.get(message.id, message.context)
            if entry is None:
                problems.append(f"{where}: English message not in the catalog (run sphinx-intl update)")
            elif not entry.string:
                problems.append(f"{where}: untranslated")
            elif entry.fuzzy:
                problems.append(f"{where}: fuzzy (the English changed; review the translation)")
            else:
                want, got = invariants(message.id), invariants(entry.string)
                for kind in want:
                    if want[kind] != got[kind]:
                        missing = sorted((want[kind] - got[kind]).elements())
                        extra = sorted((got[kind] - want[kind]).elements())
                        problems.append(f"{where}: {kind} differ (missing {missing}, extra {extra})")
                missing_terms = term_problems(message.id, entry.string, terms)
                if missing_terms:
                    problems.append(f"{where}: glossary term(s) not used: {', '.join(missing_terms)}")
    return problems


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 3:
        print(__doc__)
        return 2
    problems = check(*argv[:3], pages=set(argv[3:]) or None)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} translation problem(s)")
        return 1
    print("translations complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
