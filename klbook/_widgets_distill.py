"""The live "distill" app, and the panels it shares with its chapter.

A rank-k student Q (logits A @ B) is fitted to a character bigram teacher P
softened to P_T by `objective`: forward KL sum_c w_c D(P_T,c||Q_c), reverse
KL sum_c w_c D(Q_c||P_T,c), or GKD's generalized JSD with weight beta. The
app shows the next-character distributions after a space (teacher and
student, log scale, with the implausibility threshold) and the student's mass
on the teacher's head and tail. Re-exported by :mod:`klbook.widgets` as
``distill_explorer``.
"""

import ipywidgets as W
import numpy as np

from . import _apps_distill as A
from . import explorers
# Importing the explorer module registers the app (its title and data builder).
from . import _explore_distill  # noqa: F401
from .i18n import N_
from .i18n import widget_text as _t
from .plotting import PALETTE
from .plotting import style as use_style

__all__ = ["OBJECTIVE_LABELS", "ROLES", "distill_explorer", "plot_masses",
           "plot_next_char"]

#: The palette role of the student fitted by each objective.
ROLES = {"forward": "forward", "reverse": "reverse", "jsd": "accent", "skew": "q"}
#: How each objective is named in legends and readouts.
OBJECTIVE_LABELS = {"forward": N_("forward KL D(P‖Q)"), "reverse": N_("reverse KL D(Q‖P)"),
                    "jsd": N_("GKD's JSD(β)"), "skew": N_("DistiLLM's skew KL")}
#: The log-scale floor of the next-character panel.
YMIN = 1e-4
# Student bars below the floor (a probability that underflowed) are drawn at it.
_FLOOR = YMIN / 10
_WIDTH = 0.4


def _label(char):
    return "␣" if char == " " else char


def plot_next_char(state, *, ax=None, context=A.SHOWN_CONTEXT, legend=True):
    """Bars of P_T(.|context) and Q(.|context), characters ordered by the T = 1 teacher, log scale.

    A horizontal line marks :data:`klbook._apps_distill.IMPLAUSIBLE`; bars
    below it are characters the teacher finds implausible.

    Returns
    -------
    dict
        ``{"teacher": BarContainer, "student": BarContainer, "line": Line2D}``.
    """
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    c = A.ALPHABET.index(context)
    order = A.display_order(context)
    x = np.arange(A.V)
    out = {
        "teacher": ax.bar(x - _WIDTH / 2, state.teacher[c, order], width=_WIDTH, color=PALETTE["p"],
                          label=f"teacher P_T, T = {state.temperature:g}", linewidth=0),
        "student": ax.bar(x + _WIDTH / 2, np.maximum(state.student[c, order], _FLOOR), width=_WIDTH,
                          color=PALETTE[ROLES[state.objective]], label="student Q", linewidth=0),
    }
    out["line"] = ax.axhline(A.IMPLAUSIBLE, color=PALETTE["muted"], linewidth=1, linestyle="--",
                             label=f"implausible below {A.IMPLAUSIBLE:g}")
    ax.set_yscale("log")
    ax.set_ylim(YMIN, 1.0)
    ax.set_xlim(-0.7, A.V - 0.3)
    ax.set_xticks(x, [_label(A.ALPHABET[i]) for i in order], fontsize="x-small")
    ax.set_xlabel(f"next character after '{_label(context)}' (by teacher probability)")
    ax.set_ylabel("probability")
    if legend:
        ax.legend(loc="upper right", fontsize="x-small")
    return out


def plot_masses(state, *, ax=None, legend=True):
    """Mass on the T = 1 teacher's head (top 3) and tail (P < IMPLAUSIBLE), averaged over contexts.

    Bars for the T = 1 teacher P, the softened teacher P_T and the student Q.

    Returns
    -------
    dict
        ``{"p": BarContainer, "pt": BarContainer, "q": BarContainer, "labels": [Text]}``.
    """
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    p_head, p_tail = A.masses(A.teacher())
    values = {"p": (p_head, p_tail), "pt": (state.teacher_head, state.teacher_tail),
              "q": (state.head_mass, state.tail_mass)}
    colours = {"p": PALETTE["muted"], "pt": PALETTE["p"], "q": PALETTE[ROLES[state.objective]]}
    labels = {"p": "teacher P (T = 1)", "pt": "teacher P_T", "q": "student Q"}
    x = np.arange(2)
    out = {}
    for j, key in enumerate(("p", "pt", "q")):
        out[key] = ax.bar(x + (j - 1) * 0.27, values[key], width=0.27, color=colours[key],
                          label=labels[key], linewidth=0)
    out["labels"] = [ax.text(i + (j - 1) * 0.27, values[key][i] + 0.02, f"{values[key][i]:.2f}",
                             ha="center", va="bottom", fontsize="xx-small")
                     for j, key in enumerate(("p", "pt", "q")) for i in range(2)]
    ax.set_xticks(x, [f"head\n(top {A.HEAD_SIZE})", f"tail\n(P < {A.IMPLAUSIBLE:g})"])
    ax.set_ylim(0, 0.8)
    ax.set_ylabel("mass, averaged over contexts")
    if legend:
        ax.legend(loc="upper right", fontsize="x-small")
    return out


def _student_text(state):
    """How the student's objective is named in the readout and alt text (with its β or α)."""
    text = _t(OBJECTIVE_LABELS[state.objective])
    return text.replace("β", f"β = {state.mix:g}") if state.objective == "jsd" else \
        (text + f", α = {state.mix:g}" if state.objective == "skew" else text)


def describe_distill(st):
    c = A.ALPHABET.index(A.SHOWN_CONTEXT)
    order = A.display_order()
    top = order[0]
    return _t("Left: next-character probabilities after a space on a log scale, the teacher softened"
              " to T = {T} ({p_colour}) and the rank-{k} student fitted by {objective} after {steps}"
              " gradient steps ({colour}); for '{char}' the teacher gives {teacher_first} and the"
              " student {student_first}. Right: averaged over contexts, the student puts {head_mass}"
              " on the teacher's top 3 characters (teacher at T: {teacher_head}) and {tail_mass} on"
              " characters the teacher gives less than {implausible} (teacher at T: {teacher_tail}).",
              T=f"{st.temperature:g}", p_colour=_colour("p"), k=st.rank, objective=_student_text(st),
              steps=st.steps, colour=_colour(ROLES[st.objective]), char=A.ALPHABET[top],
              teacher_first=f"{st.teacher[c, top]:.3f}", student_first=f"{st.student[c, top]:.3f}",
              head_mass=f"{st.head_mass:.3f}", teacher_head=f"{st.teacher_head:.3f}",
              tail_mass=f"{st.tail_mass:.3f}", implausible=f"{A.IMPLAUSIBLE:g}",
              teacher_tail=f"{st.teacher_tail:.3f}")


def distill_explorer(*, style=None):
    """A rank-k student fitted to the bigram teacher by forward KL, reverse KL or JSD(β).

    Controls: the student's rank, the objective (and JSD's β), the teacher's
    temperature T and the number of gradient steps from the seeded start.
    Every state is one lattice point, fitted once (all fits of the lattice
    take a few seconds on first use, then are cached).

    Returns
    -------
    ipywidgets.VBox
    """
    app = _App(style)
    A.prewarm()
    rank = W.Dropdown(options=[(str(k), k) for k in A.RANKS], value=4, description=_t("rank k"),
                      style=_SLIDER_STYLE)
    objective = W.ToggleButtons(options=[(_t("forward"), "forward"), (_t("reverse"), "reverse"),
                                         ("JSD(β)", "jsd")], value="forward",
                                description=_t("objective"), style=_SLIDER_STYLE)
    mix = W.Dropdown(options=[(f"{m:g}", m) for m in A.MIXES], value=0.5, description=_t("JSD β"),
                     style=_SLIDER_STYLE)
    temperature = W.Dropdown(options=[(f"{t:g}", t) for t in A.TEMPERATURES], value=1.0,
                             description=_t("teacher T"), style=_SLIDER_STYLE)
    steps = W.Dropdown(options=[(str(s), s) for s in A.STEPS], value=A.STEPS[-1],
                       description=_t("gradient steps"), style=_SLIDER_STYLE)
    canvas = _Canvas((8.4, 3.1), app.style)
    st0 = A.distill_state(4, "forward", 0.0, 1.0, A.STEPS[-1])
    with use_style(app.style):
        ax_b, ax_m = canvas.fig.subplots(1, 2, width_ratios=(2.3, 1))
        bars = plot_next_char(st0, ax=ax_b, legend=False)
        masses = plot_masses(st0, ax=ax_m, legend=False)
        handles = [bars["teacher"], bars["student"], bars["line"], masses["p"]]
        canvas.fig.legend(handles=handles,
                          labels=["teacher P_T", "student Q (colour of its objective)",
                                  "implausible threshold", "teacher P (T = 1)"],
                          loc="outside upper center", ncols=4, fontsize="x-small", frameon=False)
    canvas.dynamic(*bars["teacher"].patches, *bars["student"].patches,
                   *(p for key in ("pt", "q") for p in masses[key].patches), *masses["labels"])
    c = A.ALPHABET.index(A.SHOWN_CONTEXT)
    order = A.display_order()

    def update():
        mix.disabled = objective.value != "jsd"
        st = A.distill_state(int(rank.value), objective.value,
                             float(mix.value) if objective.value == "jsd" else 0.0,
                             float(temperature.value), int(steps.value))
        colour = PALETTE[ROLES[st.objective]]
        for patch, h in zip(bars["teacher"].patches, st.teacher[c, order]):
            patch.set_height(float(h))
        for patch, h in zip(bars["student"].patches, st.student[c, order]):
            patch.set_height(max(float(h), _FLOOR))
            patch.set_color(colour)
        values = {"pt": (st.teacher_head, st.teacher_tail), "q": (st.head_mass, st.tail_mass)}
        for key, vals in values.items():
            for patch, h in zip(masses[key].patches, vals):
                patch.set_height(h)
        for patch in masses["q"].patches:
            patch.set_color(colour)
        for j, key in enumerate(("p", "pt", "q")):
            vals = values.get(key)
            if vals is None:
                continue
            for i in range(2):
                text = masses["labels"][2 * j + i]
                text.set_text(f"{vals[i]:.2f}")
                text.set_y(vals[i] + 0.02)
        app.readout.value = (
            "<p>" + _t("Rank-{k} student, <b style='color:{colour}'>{objective}</b>, teacher at T = {T},"
                       " after {steps} gradient steps. D(P_T‖Q) = <b>{dpq}</b>, D(Q‖P_T) = <b>{dqp}</b>"
                       " nats (averaged over the teacher's contexts).", k=st.rank, colour=colour,
                       objective=_student_text(st), T=f"{st.temperature:g}", steps=st.steps,
                       dpq=fmt(st.forward_kl, 4), dqp=fmt(st.reverse_kl, 4)) + "<br>"
            + _t("Mass on the teacher's top 3: <b>{head_mass}</b> (teacher at T: {teacher_head});"
                 " implausible samples (T = 1 teacher probability &lt; {implausible}):"
                 " <b>{tail_mass}</b> (teacher at T: {teacher_tail}).", head_mass=fmt(st.head_mass),
                 teacher_head=fmt(st.teacher_head), implausible=f"{A.IMPLAUSIBLE:g}",
                 tail_mass=fmt(st.tail_mass), teacher_tail=fmt(st.teacher_tail)) + "</p>")
        canvas.render(describe_distill(st))

    app.watch([rank, objective, mix, temperature, steps], update)
    app.guard(update)()
    controls = W.VBox([objective, W.HBox([rank, mix, temperature, steps],
                                         layout=W.Layout(flex_flow="row wrap"))])
    return app.box(explorers.TITLES["distill"], controls, canvas, explorers.placeholder("distill"))


# Imported last, after this module's names exist: klbook.widgets hands out
# distill_explorer lazily, so either module may be imported first.
from .widgets import _SLIDER_STYLE, _App, _Canvas, _colour, fmt  # noqa: E402
