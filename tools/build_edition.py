"""Build a translated edition of the book into _build/html/<lang>/ (issue 14).

The edition is the English book with Sphinx's gettext translation applied
(``language = <lang>``, catalogs in ``locales/<lang>/``) and the notebooks'
outputs read from the English build's jupyter-cache: nothing is executed again,
so every number on a translated page is the one on its English twin. The tool
fails if any notebook was executed (cache miss) or if Sphinx warned.

Usage: python tools/build_edition.py LANG   (after the English `make book`)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import edition_notebooks  # noqa: E402

from klbook.i18n import LANGS  # noqa: E402  (the editions' languages, defined once)

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"
# Words MyST-NB writes itself (not messages of a page): the folded code cells' toggles.
EDITION_SPHINX_CONFIG = {
    "ko": {"nb_code_prompt_show": "코드 셀 보기", "nb_code_prompt_hide": "코드 셀 숨기기"},
}


def edition_config(lang):
    """The English _config.yml with the edition's language, its link back to the
    English site and the English run's cache (never executing)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"] = {**config.get("execute", {}), "execute_notebooks": "cache", "cache": str(CACHE)}
    # jupyter-book resolves local extensions against the config file's folder.
    config["sphinx"]["local_extensions"] = {
        name: str(ROOT / path) for name, path in config["sphinx"].get("local_extensions", {}).items()}
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["language"] = lang
    sphinx_config["klbook_lang_peer"] = ".."
    sphinx_config.update(EDITION_SPHINX_CONFIG.get(lang, {}))
    return config


def build(lang):
    if lang not in LANGS:
        raise ValueError(f"`lang` must be one of {LANGS}, got {lang!r}")
    if not (CACHE / "global.db").is_file():
        raise FileNotFoundError(f"no jupyter-cache at {CACHE}: build the English book first (make book)")
    out = BUILD / lang
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    config_path = out / "_config.yml"
    config_path.write_text(yaml.safe_dump(edition_config(lang), allow_unicode=True, sort_keys=False), encoding="utf-8")
    log_path = BUILD / f"book-{lang}.log"
    env = {**os.environ, "KLBOOK_JB_EXECUTE": "cache"}
    start = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log:
        rc = subprocess.call(
            [str(Path(sys.executable).with_name("jupyter-book")), "build", ".", "--config", str(config_path),
             "--path-output", str(out), "-W", "-n", "--keep-going", "--all"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    text = log_path.read_text(encoding="utf-8")
    executed = re.findall(r"(\S+\.ipynb): Executing notebook", text)
    if rc != 0 or executed:
        print(text[-6000:])
        if executed:
            print(f"[{lang}] these notebooks were executed again (jupyter-cache miss): {executed}")
        print(f"[{lang}] edition build failed (log: {log_path})")
        return 1
    site = BUILD / "html" / lang
    if site.exists():
        shutil.rmtree(site)
    shutil.move(str(out / "_build" / "html"), str(site))
    cached = len(re.findall(r"Using cached notebook", text))
    # The download button's notebooks, in the edition's language (tools/edition_notebooks.py).
    written, untranslated = edition_notebooks.write_notebooks(lang, site, CACHE)
    if untranslated:
        for page, blocks in untranslated.items():
            print(f"[{lang}] {page}.ipynb: no translation for {blocks[:3]}")
        return 1
    print(f"[{lang}] {cached} notebooks from the English run's cache, none executed; {written} {lang} notebooks; "
          f"site in {site.relative_to(ROOT)} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(build(sys.argv[1]))
