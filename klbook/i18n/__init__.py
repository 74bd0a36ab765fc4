"""The words of klbook's figures in the book's other languages (issue 14).

A figure's numbers come from the run; its words (titles, axis labels, legend
entries, annotations) are English in the code. The Korean edition shows the
same figure with its words translated: while the book is built with
``KLBOOK_FIGURE_LANGS=ko`` in the environment, every matplotlib figure a
notebook displays is drawn a second time with its texts translated and the
PNG rides along in the output's metadata (:data:`FIGURE_MIME`); the Korean
build shows that PNG instead of the English one (``_ext/klbook_i18n.py``).
Nothing is computed twice: the same figure object, only its texts swapped.

Translation is by runs of words: a text is split into runs of letters (with
the spaces, hyphens and apostrophes between them); numbers, symbols, single
letters (P, Q, N, x) and ``$math$`` pass through unchanged, and each run is
looked up in ``figures-<lang>.json``. A run missing from the table is an
error the Korean build reports (the table must cover every figure), never
English left silently on a Korean figure.

The live apps (:mod:`klbook.widgets`) speak the language a notebook sets with
:func:`set_language`: their controls, readouts, alt texts and titles come from
:func:`widget_text` (templates in ``widgets-<lang>.json``), their figures'
words from the figures' table (:func:`localize_figure`). English is the code's
own text, unchanged.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The output mime type whose metadata holds the translated PNGs ({lang: base64}).
FIGURE_MIME = "application/vnd.klbook.figure-translations+json"
#: Environment variable naming the languages to draw figures in (comma-separated).
FIGURE_LANGS_ENV = "KLBOOK_FIGURE_LANGS"
LANGS = ("ko",)
#: Fonts with Hangul, from Debian's fonts-nanum (tools/ensure-system-tools.sh).
HANGUL_FONTS = {"ko": Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")}

_MATH = re.compile(r"\$[^$]*\$")
# A run: a word of two or more letters, or several words joined by spaces,
# hyphens, apostrophes or slashes (\u2019 is the typographic apostrophe).
_RUN = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*[A-Za-z](?:[ /-]+[A-Za-z][A-Za-z'\u2019-]*[A-Za-z]?)*")


#: The languages the live apps speak: English (the code's own text) and LANGS.
WIDGET_LANGS = ("en",) + LANGS
_state = {"lang": "en"}


def _check_lang(lang):
    if lang not in LANGS:
        raise ValueError(f"`lang` must be one of {LANGS}, got {lang!r}")


@lru_cache(maxsize=None)
def figure_table(lang):
    """English run -> translation, for the figures' words in `lang`."""
    _check_lang(lang)
    return json.loads((HERE / f"figures-{lang}.json").read_text(encoding="utf-8"))


def word_runs(text):
    """The runs of words of `text` that need a translation (math, numbers, symbols skipped)."""
    runs = []
    for part in _MATH.split(text):
        runs.extend(m.group(0) for m in _RUN.finditer(part))
    return runs


def translate_text(text, lang, *, missing=None):
    """`text` with each run of words replaced from the table of `lang`.

    A run the table lacks is kept and, if `missing` is a set, added to it;
    without `missing` it raises ValueError.
    """
    table = figure_table(lang)
    pieces = []
    last = 0
    for math in list(_MATH.finditer(text)) + [None]:
        stop = math.start() if math else len(text)
        segment = text[last:stop]

        def one(match):
            run = match.group(0)
            if run in table:
                return table[run]
            if missing is None:
                raise ValueError(f"figure text {run!r} (in {text!r}) has no {lang} translation "
                                 f"in {HERE / f'figures-{lang}.json'}")
            missing.add(run)
            return run

        pieces.append(_RUN.sub(one, segment))
        if math:
            pieces.append(math.group(0))
            last = math.end()
    return "".join(pieces)


def figure_langs():
    """The languages named by ``KLBOOK_FIGURE_LANGS`` (empty when unset)."""
    value = os.environ.get(FIGURE_LANGS_ENV, "").strip()
    langs = tuple(x.strip() for x in value.split(",") if x.strip())
    for lang in langs:
        _check_lang(lang)
    return langs


def _texts(fig):
    """Every text artist of `fig` that shows words (tick labels of numbers included: they pass through)."""
    import matplotlib.text

    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def translated_png(fig, lang, *, dpi=None):
    """PNG bytes of `fig` drawn with its texts in `lang`, and the set of runs the
    table lacks. The figure is left exactly as it was."""
    from matplotlib.ticker import FixedFormatter, FuncFormatter

    family = hangul_family(lang)
    missing = set()
    saved, formatters = [], []
    try:
        for text in _texts(fig):
            saved.append((text, text.get_text(), text.get_fontfamily()))
            text.set_text(translate_text(text.get_text(), lang, missing=missing))
            text.set_fontfamily([*text.get_fontfamily(), family])
        # Tick labels given as strings are made again from their formatter at each draw.
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                for formatter in {id(f): f for f in (axis.get_major_formatter(), axis.get_minor_formatter())}.values():
                    if isinstance(formatter, FixedFormatter):
                        formatters.append((formatter, "seq", formatter.seq))
                        formatter.seq = [translate_text(str(x), lang, missing=missing) for x in formatter.seq]
                    elif isinstance(formatter, FuncFormatter):
                        formatters.append((formatter, "func", formatter.func))
                        formatter.func = _translating(formatter.func, lang, missing)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight", dpi=dpi)
    finally:
        for text, original, families in saved:
            text.set_text(original)
            text.set_fontfamily(families)
        for formatter, name, value in formatters:
            setattr(formatter, name, value)
    return buffer.getvalue(), missing


def figure_translations(fig):
    """The metadata of :data:`FIGURE_MIME` for `fig`: ``{lang: base64 PNG}`` and, per
    language, the runs the table lacks (``missing-<lang>``, sorted)."""
    out = {}
    for lang in figure_langs():
        png, missing = translated_png(fig, lang)
        out[lang] = base64.b64encode(png).decode("ascii")
        if missing:
            out[f"missing-{lang}"] = sorted(missing)
    return out


def _ipython(shell=None):
    """`shell`, else the running IPython shell; None outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return None
        shell = get_ipython()
    return shell if shell is not None and hasattr(shell, "display_formatter") else None


def install_figure_formatter(shell=None):
    """In an IPython kernel with ``KLBOOK_FIGURE_LANGS`` set, make every displayed
    matplotlib figure carry its translated PNGs (see the module's docstring).
    Does nothing elsewhere. Returns True if installed."""
    if not figure_langs():
        return False
    shell = _ipython(shell)
    if shell is None:
        return False
    from IPython.core.formatters import JSONFormatter
    from matplotlib.figure import Figure
    from traitlets import Unicode

    formatters = shell.display_formatter.formatters
    if FIGURE_MIME in formatters:
        return True

    class FigureTranslations(JSONFormatter):
        """Answers for matplotlib figures only. Not through the type registry: the
        inline backend clears every formatter's Figure entry when it starts."""

        format_type = Unicode(FIGURE_MIME)

        def __call__(self, obj):
            if not self.enabled or not isinstance(obj, Figure):
                return None
            # The data name the languages; the PNGs go in the output's metadata, where
            # MyST-NB hands them to the renderer of the figure's own image/png.
            return {"langs": list(figure_langs())}, figure_translations(obj)

    formatters[FIGURE_MIME] = FigureTranslations(parent=shell.display_formatter)
    return True


# ------------------------------------------------------------ the live apps


def set_language(lang):
    """Make the live apps built from now on speak `lang` ("en" or "ko").

    A notebook calls this once, before it builds its apps. An app's figure
    takes the language when it is first drawn; its readouts follow the
    language of each update.

    Raises
    ------
    ValueError
        For a language the apps do not speak.
    """
    if lang not in WIDGET_LANGS:
        raise ValueError(f"`lang` must be one of {WIDGET_LANGS}, got {lang!r}")
    _state["lang"] = lang
    _install_live_figures()


def _install_live_figures(shell=None):
    """In IPython, draw each displayed matplotlib figure in the apps' language: the
    figures a notebook shows with plt.show() speak the language its apps speak.
    Returns True when installed (or already there)."""
    shell = _ipython(shell)
    if shell is None:
        return False
    png = shell.display_formatter.formatters.get("image/png")
    if png is None or getattr(png, "_klbook_localizing", False):
        return png is not None
    from matplotlib.figure import Figure

    class LocalizingPNG(type(png)):
        """The PNG formatter, with a figure's words put into the apps' language first."""

        _klbook_localizing = True

        def __call__(self, obj):
            if isinstance(obj, Figure) and _state["lang"] != "en":
                localize_figure(obj, _state["lang"])
            return super().__call__(obj)

    # The inline backend keeps registering its printer on this same object, so the
    # class is changed in place rather than the formatter replaced.
    png.__class__ = LocalizingPNG
    return True


def get_language():
    """The language of the live apps (default "en"; see :func:`set_language`)."""
    return _state["lang"]


@lru_cache(maxsize=None)
def widget_table(lang):
    """English template -> translation, for the live apps' words in `lang`."""
    _check_lang(lang)
    return json.loads((HERE / f"widgets-{lang}.json").read_text(encoding="utf-8"))


def N_(template):
    """Mark `template` as a text of the live apps without translating it (yet).

    For names kept in tables at import time; :func:`widget_text` translates
    them where they are shown. The tests collect the marked templates.
    """
    return template


def widget_text(template, **values):
    """`template` in the apps' language, its ``{name}`` placeholders filled from `values`.

    English is `template` itself. Numbers are formatted by the caller and
    passed in `values`: the table holds words only.

    Raises
    ------
    ValueError
        If the table of the current language has no entry for `template`
        (never English left silently in a Korean app).

    Examples
    --------
    >>> widget_text("D(P‖Q) = {d} nats.", d="0.123")
    'D(P‖Q) = 0.123 nats.'
    """
    lang = _state["lang"]
    if lang != "en":
        try:
            template = widget_table(lang)[template]
        except KeyError:
            raise ValueError(f"widget text {template!r} has no {lang} translation "
                             f"in {HERE / f'widgets-{lang}.json'}") from None
    return template.format(**values) if values else template


def hangul_family(lang):
    """The name of the font family with the script of `lang`, registered with matplotlib."""
    from matplotlib import font_manager

    font = HANGUL_FONTS.get(lang)
    if font is None or not font.is_file():
        raise FileNotFoundError(f"no font with the script of {lang!r} at {font}: run tools/ensure-system-tools.sh")
    font_manager.fontManager.addfont(str(font))
    return font_manager.FontProperties(fname=str(font)).get_name()


def localize_figure(fig, lang):
    """Translate every text of `fig` in place into `lang` (figures' table), with
    the font of its script as a fallback family. Raises ValueError for a run
    the table lacks."""
    from matplotlib.ticker import FixedFormatter, FuncFormatter

    family = hangul_family(lang)
    for text in _texts(fig):
        text.set_text(translate_text(text.get_text(), lang))
        text.set_fontfamily([*text.get_fontfamily(), family])
    # Tick labels given as strings (set_xticks(ticks, labels) makes a FuncFormatter,
    # set_ticklabels alone a FixedFormatter) are made again from the formatter at
    # each draw; numeric formatters write no words.
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for formatter in (axis.get_major_formatter(), axis.get_minor_formatter()):
                if isinstance(formatter, FixedFormatter):
                    formatter.seq = [translate_text(str(label), lang) for label in formatter.seq]
                elif isinstance(formatter, FuncFormatter):
                    formatter.func = _translating(formatter.func, lang)


def _translating(func, lang, missing=None):
    def translated(x, pos=None):
        return translate_text(func(x, pos), lang, missing=missing)

    return translated
