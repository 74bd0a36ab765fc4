#!/bin/sh
# The two-page prototype of the Korean edition (issue 14), from /work/wt-ko:
#   English -> _build/proto/html, Korean -> _build/proto/html/ko, one jupyter-cache.
# conf.py here is `jupyter-book config sphinx --toc i18n/_toc-proto.yml .` (regenerate after
# editing _config.yml). sphinx-intl 2.4.0 is installed into _build/i18n-tools (not the venv).
set -e
. i18n/proto/env.sh
rm -rf _build/proto/html _build/proto/ko-html _build/proto/gettext
# 1. templates from the English sources; no execution needed for text
$SB -q -b gettext -D nb_execution_mode=off . _build/proto/gettext
# 2. merge them into the Korean catalogs (new messages empty, changed ones fuzzy)
PYTHONPATH=_build/i18n-tools /work/main/.venv/bin/python -m sphinx_intl update -p _build/proto/gettext -l ko -d locales
# 3. English site, then the Korean one, both from the same jupyter-cache
$SB -b html -D klbook_lang_peer=ko . _build/proto/html > _build/proto/en.log 2>&1
$SB -b html -D language=ko -D klbook_lang_peer=.. . _build/proto/ko-html > _build/proto/ko.log 2>&1
rm -rf _build/proto/ko-html/.doctrees && cp -r _build/proto/ko-html _build/proto/html/ko
grep -h 'Executing\|Using cached' _build/proto/en.log _build/proto/ko.log
# 4. the check `make test` would run
/work/main/.venv/bin/python tools/check_translations.py _build/proto/gettext locales ko | tail -1
