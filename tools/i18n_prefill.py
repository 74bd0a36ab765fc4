"""Fill the translations that are the English text itself (issue 14).

A display equation, or a glossary cell holding a term already in Korean (or a
term the Korean edition keeps in English), is a message of its page too; its
translation is the message unchanged. This fills those, and only those, so
translators see only prose. Usage: python tools/i18n_prefill.py LOCALE_DIR LANG
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from check_translations import glossary_terms

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def is_verbatim(msgid, keep_terms):
    """True for a message whose translation is itself: display math, a Korean glossary
    term, or an English term the edition keeps."""
    if msgid.startswith("\n") and msgid.endswith("\n"):
        return True  # a display-math block (MyST gives its LaTeX as the message)
    if _HANGUL.search(msgid):
        return True
    return msgid in keep_terms


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    locale_dir, lang = Path(argv[0]), argv[1]
    terms = glossary_terms()
    keep = {en for en, ko in terms.items()}  # the English column of the glossary table
    filled = 0
    for path in sorted((locale_dir / lang / "LC_MESSAGES").rglob("*.po")):
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        changed = False
        for message in catalog:
            if message.id and not message.string and is_verbatim(message.id, keep if path.stem == "glossary" else set()):
                message.string = message.id
                changed = True
                filled += 1
        if changed:
            with open(path, "wb") as handle:
                write_po(handle, catalog, width=0)
    print(f"filled {filled} verbatim message(s)")


if __name__ == "__main__":
    main()
