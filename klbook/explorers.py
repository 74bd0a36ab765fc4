"""Kernel-free explorers: the apps on a static page, no kernel needed.

Each explorer is the app's state function (:mod:`klbook._apps`) evaluated at
build time on a lattice of control values; the page's controls snap to the
lattice and its JavaScript (``klbook/static/klbook-explorers.js``) looks the
state up and draws it. The script evaluates closed-form drawing formulas only
(Normal and mixture densities, the pointwise KL integrand, and sums over a
categorical's bars); it never fits, integrates or optimises. The browser tests
check its numbers against klbook.

How a page gets an explorer: each live app (:mod:`klbook.widgets`) is shown
as one output carrying two renderings, the ipywidgets view (for JupyterLab,
Binder and live RISE slides, where a kernel refits on every move) and
``text/html`` holding :func:`placeholder` (for the website and the static
decks, where the book's Sphinx extension prefers ``text/html``). The data
files are written by :func:`write_assets` into the site's ``_static``.

P is the target and Q the model: forward KL is D(P||Q), reverse KL is D(Q||P).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import math
import re
from pathlib import Path

import numpy as np

from . import _apps, plotting
from ._distributions import Normal

__all__ = ["APPS", "FORWARD_PRESETS", "REVERSE_PRESETS", "app_data", "label_tables", "placeholder",
           "shown_labels", "write_assets"]

#: Where the explorers' script and style sheet live (copied next to the data).
STATIC_DIR = Path(__file__).resolve().parent / "static"
SCRIPT, STYLE = "klbook-explorers.js", "klbook-explorers.css"
#: The label tables, English -> <lang> (``<lang>.json``): every word the
#: explorers show, as the templates the script's ``t(...)`` looks up.
LABELS_DIR = Path(__file__).resolve().parent / "i18n"
#: Shown in the placeholder until the script has drawn the explorer.
FALLBACK = ("This interactive figure is drawn by JavaScript in the page;"
            " it needs no kernel and no network.")
#: The apps that ship a data file (the discrete app computes its sums in the page).
APPS = ("glance", "forward", "reverse", "phase")
#: Apps that compute everything in the page from their config (no data file).
CONFIG_ONLY_APPS = ("discrete",)
#: Digits kept in the shipped numbers: far below what the readouts print (3
#: decimals), so the page shows klbook's value exactly as rounded.
DIGITS = 6

#: Each app's heading, in the live widget and in the explorer alike.
TITLES = {
    "glance": "A two-mode P and its forward and reverse Normal fits",
    "discrete": "Edit P and Q; watch the entropies and both KL divergences",
    "forward": "Forward KL: fit Q to P by minimising D(P‖Q)",
    "reverse": "Reverse KL: fit Q to P by minimising D(Q‖P) from a starting point",
    "phase": "Reverse KL on two equal modes: where do the optima sit?",
}

# Lattices: the controls of each explorer snap to these values.
GLANCE_A = (0.0, 5.0, 0.1)
GLANCE_W = (0.05, 0.95, 0.05)
PHASE_A = (0.0, 4.5, 0.05)
REVERSE_START_MEANS = (-6.0, 6.0, 0.5)
REVERSE_START_SDS = (0.25, 0.35, 0.5, 0.7, 1.0, 1.4, 2.0, 2.8, 4.0, 5.6)

#: Targets a reader can pick (name, (weight, mean, sd) per component). Chosen
#: to show: moment matching between modes; an unequal pair; modes close
#: enough that one Normal is a fair fit; three modes; modes of unequal
#: width; and a target inside the family, where both directions agree.
FORWARD_PRESETS = (
    ("two equal modes at ±2.5", ((0.5, -2.5, 1.0), (0.5, 2.5, 1.0))),
    ("unequal modes: 0.7 at −2, 0.3 at 3", ((0.7, -2.0, 1.0), (0.3, 3.0, 1.0))),
    ("close modes at ±1", ((0.5, -1.0, 1.0), (0.5, 1.0, 1.0))),
    ("three modes at −4, 0, 4", ((0.3, -4.0, 0.8), (0.4, 0.0, 1.0), (0.3, 4.0, 0.8))),
    ("a narrow and a wide mode", ((0.5, -2.0, 0.5), (0.5, 2.0, 2.0))),
    ("one Normal N(1, 1.5²)", ((1.0, 1.0, 1.5),)),
)
REVERSE_PRESETS = (
    ("two equal modes at ±3", ((0.5, -3.0, 1.0), (0.5, 3.0, 1.0))),
    ("two equal modes at ±2 (one centred optimum)", ((0.5, -2.0, 1.0), (0.5, 2.0, 1.0))),
    ("unequal modes: 0.7 at −3, 0.3 at 3", ((0.7, -3.0, 1.0), (0.3, 3.0, 1.0))),
    ("three modes at −4, 0, 4", ((0.3, -4.0, 0.8), (0.4, 0.0, 1.0), (0.3, 4.0, 0.8))),
    ("a narrow and a wide mode", ((0.5, -3.0, 0.5), (0.5, 2.5, 1.5))),
    ("one Normal N(1, 1.5²)", ((1.0, 1.0, 1.5),)),
)


def _lattice(lo, hi, step):
    n = int(round((hi - lo) / step)) + 1
    return [round(lo + k * step, 10) for k in range(n)]


def _r(value):
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"explorer data must be finite, got {value!r}")
    return round(value, DIGITS) + 0.0


def _normal(q, divergence=None):
    out = [_r(q.mean), _r(q.sd)]
    return out if divergence is None else out + [_r(divergence)]


def _mixture(q):
    if isinstance(q, Normal):
        return [[1.0, _r(q.mean), _r(q.sd)]]
    return [[_r(w), _r(c.mean), _r(c.sd)] for w, c in zip(q.weights, q.components)]


def _styles():
    """What the script needs of the palette: colours, dash patterns, words."""
    roles = ("p", "forward", "reverse", "q", "accent", "muted")
    return {role: {"color": plotting.PALETTE[role],
                   "text": plotting.TEXT_PALETTE[role],
                   "dash": {"-": "", "--": "6 4", "-.": "8 3 2 3", ":": "2 3"}[
                       plotting.role_style(role)["linestyle"]],
                   "words": plotting.describe_role(role),
                   "colour": plotting.colour_name(role)} for role in roles}


def glance_data():
    a_values, w_values = _lattice(*GLANCE_A), _lattice(*GLANCE_W)
    states = []
    for a in a_values:
        for w in w_values:
            st = _apps.glance_state(a, w)
            states.append([_normal(st.forward.q, st.forward.divergence),
                           [_normal(r.q, r.divergence) for r in st.optima]])
    return {"a": a_values, "w": w_values, "states": states, "x": [-10.0, 10.0]}


def forward_data():
    presets = []
    for name, comps in FORWARD_PRESETS:
        p = _apps.target(comps)
        fits = {}
        for _, family in _apps.FAMILIES:
            r = _apps.forward_state(p, family)
            fits[family] = {"q": _mixture(r.q), "d": _r(r.divergence)}
        presets.append({"name": name, "p": _mixture(p), "mean": _r(p.mean), "sd": _r(p.sd),
                        "fits": fits})
    return {"presets": presets, "families": [list(f) for f in _apps.FAMILIES],
            "x": [-11.0, 11.0]}


def _landscape_png(surface, means, sds):
    """The landscape D(Q||P) as a bare raster (no axes), drawn by plotting's colour levels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    fig = Figure(figsize=(3.0, 3.0), dpi=80)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.contourf(means, np.log(sds), plotting._landscape_values(surface),
                levels=plotting._landscape_levels(14), cmap="viridis", extend="max")
    ax.set_xlim(means[0], means[-1])
    ax.set_ylim(math.log(sds[0]), math.log(sds[-1]))
    ax.set_axis_off()
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    buf = io.BytesIO()
    Image.fromarray(rgb).quantize(colors=64).save(buf, format="png", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def reverse_data():
    means, sds = _apps.reverse_grid()
    start_means = _lattice(*REVERSE_START_MEANS)
    presets = []
    for name, comps in REVERSE_PRESETS:
        p = _apps.target(comps)
        surface = _apps.reverse_surface(p, means, sds)
        optima = None
        runs = []
        for s in REVERSE_START_SDS:
            for m in start_means:
                st = _apps.reverse_state(p, Normal(m, s), optima=optima, surface=surface)
                optima = st.optima
                runs.append([[_r(q.mean) for q in st.fit.path], [_r(q.sd) for q in st.fit.path],
                             _r(st.fit.divergence), int(st.fit.converged),
                             -1 if st.rank is None else st.rank])
        presets.append({"name": name, "p": _mixture(p),
                        "optima": [_normal(r.q, r.divergence) for r in optima],
                        "landscape": _landscape_png(surface, means, sds), "runs": runs})
    return {"presets": presets, "start_means": start_means, "start_sds": list(REVERSE_START_SDS),
            "means": list(_apps.REVERSE_MEANS), "sds": list(_apps.REVERSE_SDS), "x": [-11.0, 11.0]}


def phase_data():
    a_values = _lattice(*PHASE_A)
    states = []
    for a in a_values:
        st = _apps.phase_state(a)
        states.append([[_normal(r.q, r.divergence) for r in st.optima],
                       ["centred only", "both, centred best", "one-mode best"].index(st.regime)])
    t = _apps.phase_state(0.0).thresholds
    return {"a": a_values, "states": states, "appear": _r(t.appear), "global": _r(t.global_),
            "x": [-8.5, 8.5]}


_BUILDERS = {"glance": glance_data, "forward": forward_data, "reverse": reverse_data,
             "phase": phase_data}

#: Words in each app's data that its page shows (names of presets, families,
#: regimes): the script passes them through ``t(...)``, so the label tables
#: hold them too.
DATA_LABELS = {
    "forward": tuple(name for name, _ in FORWARD_PRESETS) + tuple(name for name, _ in _apps.FAMILIES),
    "reverse": tuple(name for name, _ in REVERSE_PRESETS),
}


def register(app, builder, title, *, config_only=False, labels=()):
    """Add an app of a later chapter: its data builder (None if `config_only`), heading
    and the words of its data that its page shows (`labels`, see ``DATA_LABELS``).

    Its drawing goes in ``klbook/static/apps/<app>.js`` (bundled by :func:`write_assets`).
    """
    global APPS, CONFIG_ONLY_APPS
    TITLES[app] = title
    DATA_LABELS[app] = tuple(labels)
    if config_only:
        CONFIG_ONLY_APPS = tuple(dict.fromkeys(CONFIG_ONLY_APPS + (app,)))
    else:
        _BUILDERS[app] = builder
        APPS = tuple(dict.fromkeys(APPS + (app,)))


def app_data(app):
    """The shipped data of one explorer: its lattice of states, as plain JSON values."""
    if app not in _BUILDERS:
        raise ValueError(f"`app` must be one of {', '.join(APPS)}, got {app!r}")
    return {"app": app, "styles": _styles(), **_BUILDERS[app]()}


def placeholder(app, **config):
    """The ``text/html`` rendering of a live app: where the page's script builds the explorer.

    ``config`` carries what the lattice does not (the discrete app's starting
    bars and labels); it is shown to the script as JSON.
    """
    if app not in APPS + CONFIG_ONLY_APPS:
        raise ValueError(f"`app` must be one of {', '.join(APPS + CONFIG_ONLY_APPS)}, got {app!r}")
    config = {"title": TITLES[app], "styles": _styles(), **config}
    payload = html.escape(json.dumps(config, ensure_ascii=False), quote=True)
    needs = "no" if app in CONFIG_ONLY_APPS else "yes"
    return (f'<div class="klbook-explorer" data-app="{app}" data-needs-data="{needs}" data-config="{payload}">'
            f'<p class="kx-fallback">{html.escape(FALLBACK, quote=False)}</p></div>')


#: Words a chapter hands an explorer (the outcome names of its discrete
#: distributions); a translated build fails on one missing from the label tables.
CHAPTER_LABELS = frozenset({"heads", "tails"})


def shown_labels():
    """The English words the explorers get from klbook (not from their script): the
    headings, the palette's words, the fallback text and the words of their data.

    Each is a key of every label table (``klbook/i18n/<lang>.json``).
    """
    words = set(TITLES.values()) | {FALLBACK}
    for style in _styles().values():
        words |= {style["words"], style["colour"]}
    for labels in DATA_LABELS.values():
        words |= set(labels)
    return words | CHAPTER_LABELS


def label_tables():
    """Every label table of the explorers, ``{lang: {english template: translation}}``
    (files named by a language code, ``ko.json``; ``figures-ko.json`` is the figures' table)."""
    return {path.stem: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(LABELS_DIR.glob("*.json")) if re.fullmatch(r"[a-z]{2,3}", path.stem)}


def _source_hash():
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _scripts():
    """The explorers' script and one label script per table, ``{file name: text}``.

    The script is the core, then every app file, then the start, which names
    the languages that have a table.
    """
    tables = label_tables()
    parts = [(STATIC_DIR / SCRIPT).read_text(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8") for p in sorted((STATIC_DIR / "apps").glob("*.js"))]
    parts.append(f"window.klbookExplorers.run({json.dumps(sorted(tables))});\n")
    out = {SCRIPT: "\n".join(parts)}
    for lang, table in tables.items():
        out[f"klbook-labels-{lang}.js"] = ("(window.KLBOOK_LABELS = window.KLBOOK_LABELS || {})"
                                          f"[{json.dumps(lang)}] = "
                                          + json.dumps(table, ensure_ascii=False, indent=0) + ";\n")
    return out


def write_assets(folder, *, cache=None):
    """Write the explorers' script, style sheet and data files into `folder`.

    The data go to ``folder/explorers/<app>.js``, each a script that registers
    its data (``window.KLBOOK_EXPLORERS[app] = {...}``) so a page opened from
    disk (``file://``) can load it too. Each label table goes to
    ``folder/klbook-labels-<lang>.js`` (``window.KLBOOK_LABELS[lang] = {...}``),
    which the script loads, the same way, on a page in that language (or
    finds already loaded). With `cache` (a folder), data built from the same
    klbook sources are reused.
    """
    folder = Path(folder)
    (folder / "explorers").mkdir(parents=True, exist_ok=True)
    (folder / STYLE).write_bytes((STATIC_DIR / STYLE).read_bytes())
    for name, text in _scripts().items():
        (folder / name).write_text(text, encoding="utf-8")
    key = _source_hash()
    for app in APPS:
        cached = Path(cache) / f"{app}-{key}.js" if cache else None
        if cached is not None and cached.is_file():
            text = cached.read_text(encoding="utf-8")
        else:
            text = ("(window.KLBOOK_EXPLORERS = window.KLBOOK_EXPLORERS || {})"
                    f"[{json.dumps(app)}] = "
                    + json.dumps(app_data(app), ensure_ascii=False, separators=(",", ":")) + ";\n")
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_text(text, encoding="utf-8")
        (folder / "explorers" / f"{app}.js").write_text(text, encoding="utf-8")
    return folder


# ------------------------------------------------ apps of the later chapters
# Each registers itself (register(...)) from its own module, klbook/_explore_<name>.py.
from . import _explore_estimate  # noqa: E402,F401
from . import _explore_alpha  # noqa: E402,F401
from . import _explore_meanfield  # noqa: E402,F401
from . import _explore_rlhf  # noqa: E402,F401
from . import _explore_distill  # noqa: E402,F401
