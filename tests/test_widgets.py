"""The live apps: every control position is safe, errors are shown, the fast
numerics agree with the core. (Update speed is measured in
benchmarks/bench_widgets.py, never here.)"""

import re
import subprocess
import sys

import ipywidgets as W
import numpy as np
import pytest

import klbook as kb
from klbook import plotting, widgets

APPS = {
    "glance_explorer": widgets.glance_explorer,
    "discrete_explorer": widgets.discrete_explorer,
    "forward_explorer": widgets.forward_explorer,
    "reverse_explorer": widgets.reverse_explorer,
    "phase_explorer": lambda: widgets.phase_explorer(plotting.phase_data(np.linspace(0, 4.5, 19))),
    "alpha_explorer": widgets.alpha_explorer,
    "meanfield_explorer": widgets.meanfield_explorer,
    "estimate_explorer": widgets.estimate_explorer,
    "rlhf_explorer": widgets.rlhf_explorer,
    "distill_explorer": widgets.distill_explorer,
}
NAN = re.compile(r"\bnan\b", re.IGNORECASE)


def walk(w):
    yield w
    for child in getattr(w, "children", ()):
        yield from walk(child)


def controls(box):
    return [w for w in walk(box) if isinstance(w, (W.FloatSlider, W.Dropdown, W.ToggleButtons))]


def extremes(c):
    if isinstance(c, W.FloatSlider):
        return [c.min, c.max, c.min + c.step, c.max - c.step, c.value]
    return [v for _, v in c.options] + [c.value]


def assert_clean(box, where):
    """No error shown, no NaN in any text, a figure with alt text present."""
    outputs = [o for w in walk(box) if isinstance(w, W.Output) for o in w.outputs]
    assert outputs == [], f"{where}: error output {outputs}"
    texts = [w.value for w in walk(box) if isinstance(w, W.HTML)]
    assert not any("This update failed" in t for t in texts), where
    for t in texts:
        visible = re.sub(r'src="data:[^"]*"', "", t)
        assert not NAN.search(visible), f"{where}: NaN on screen in {visible[:300]!r}"
    images = [t for t in texts if t.startswith("<img")]
    assert len(images) == 1 and re.search(r'alt="[^"]{20,}"', images[0]), where


@pytest.mark.parametrize("name", sorted(APPS))
def test_every_control_extreme_is_safe(name):
    box = APPS[name]()
    assert isinstance(box, W.VBox)
    assert_clean(box, f"{name} default")
    for c in controls(box):
        for v in extremes(c):
            c.value = v
            assert_clean(box, f"{name}: {c.description}={v!r}")


@pytest.mark.parametrize("name", ["forward_explorer", "reverse_explorer"])
def test_target_with_no_mass_is_explained(name):
    box = APPS[name]()
    for c in controls(box):
        if c.description.startswith("weight"):
            c.value = 0.0
    assert_clean(box, name)
    assert any("P has no mass" in w.value for w in walk(box) if isinstance(w, W.HTML))
    for c in controls(box):
        if c.description == "weight 2":
            c.value = 1.0
    assert_clean(box, name)
    assert not any("P has no mass" in w.value for w in walk(box) if isinstance(w, W.HTML))


def test_discrete_explorer_explains_infinity_both_ways():
    box = widgets.discrete_explorer(p=(0.5, 0.5, 0.0), q=(0.5, 0.25, 0.25), labels=("a", "b", "c"))
    readout = " ".join(w.value for w in walk(box) if isinstance(w, W.HTML))
    assert "D(Q‖P) = ∞" in readout and "D(P‖Q) = ∞" not in readout
    q_c = next(c for c in controls(box) if c.description == "Q(c)")
    q_b = next(c for c in controls(box) if c.description == "Q(b)")
    q_b.value = 0.0
    q_c.value = 0.0
    assert_clean(box, "Q(b) = 0")
    readout = " ".join(w.value for w in walk(box) if isinstance(w, W.HTML))
    assert "D(P‖Q) = ∞" in readout and "D(Q‖P) = ∞" not in readout


def test_discrete_explorer_numbers_match_core():
    box = widgets.discrete_explorer()
    readout = next(w.value for w in walk(box) if isinstance(w, W.HTML) and "<table" in w.value)
    p, q = [0.4, 0.3, 0.2, 0.1], [0.25] * 4
    assert f"<b>{kb.kl(p, q):.3f}</b>" in readout.split("D(Q‖P)")[0]
    assert f"<b>{kb.kl(q, p):.3f}</b>" in readout.split("D(Q‖P)")[1]


def test_callback_errors_are_shown_inside_the_widget(monkeypatch):
    box = widgets.glance_explorer()

    def broken(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(widgets._apps, "glance_state", broken)
    controls(box)[0].value = 1.0
    html = " ".join(w.value for w in walk(box) if isinstance(w, W.HTML))
    assert "This update failed" in html and "simulated failure" in html
    (out,) = [w for w in walk(box) if isinstance(w, W.Output)]
    assert "RuntimeError: simulated failure" in out.outputs[0]["text"]


def test_bad_style_is_rejected():
    with pytest.raises(ValueError, match=r"`style` must be 'book' or 'lecture', got 'poster'"):
        widgets.glance_explorer(style="poster")


def test_lecture_style_changes_the_look_not_the_size(monkeypatch):
    # Bigger fonts and thicker lines in a figure of the same size: a larger one
    # would not fit a slide under the controls (tests/browser/test_slides.py).
    def figure(box):
        return next(w.value for w in walk(box) if isinstance(w, W.HTML) and w.value.startswith("<img"))

    def width(img):
        return int(re.search(r'width="(\d+)"', img).group(1))

    monkeypatch.delenv("KLBOOK_STYLE", raising=False)
    book, lecture = figure(widgets.glance_explorer()), figure(widgets.glance_explorer(style="lecture"))
    assert width(book) == width(lecture) and book != lecture
    monkeypatch.setenv("KLBOOK_STYLE", "lecture")
    assert figure(widgets.glance_explorer()) == lecture


def _canvas_with_a_line(ylim):
    canvas = widgets._Canvas((4, 2), "book")
    ax = canvas.fig.subplots()
    x = np.linspace(0, 1, 50)
    line, = ax.plot(x, x, label="line")
    ax.legend()
    canvas.dynamic(line)
    ax.set_ylim(*ylim)
    return canvas, ax, line


def _pixels(canvas):
    import base64
    import io

    from PIL import Image

    data = re.search(r'base64,([^"]+)"', canvas.view.value).group(1)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB"))


def test_cached_backgrounds_give_the_picture_a_full_draw_gives():
    # One canvas goes through two y-limits and back, so its last frame is blitted
    # onto the background cached for the first limits; it must match a canvas
    # drawn once, in full, in the same state.
    canvas, ax, line = _canvas_with_a_line((0, 1))
    canvas.render("first")
    ax.set_ylim(0, 3)
    line.set_ydata(np.linspace(0, 2, 50))
    canvas.render("second")
    assert len(canvas._backgrounds) == 2
    ax.set_ylim(0, 1)
    line.set_ydata(np.linspace(0, 1, 50) ** 2)
    canvas.render("third")
    assert len(canvas._backgrounds) == 2
    fresh, _, fresh_line = _canvas_with_a_line((0, 1))
    fresh_line.set_ydata(np.linspace(0, 1, 50) ** 2)
    fresh.render("third")
    assert np.array_equal(_pixels(canvas), _pixels(fresh))
    ax.set_ylim(0, 3)
    canvas.render("fourth")
    assert not np.array_equal(_pixels(canvas), _pixels(fresh))


def test_fmt():
    assert widgets.fmt(float("inf")) == "∞"
    assert widgets.fmt(-1e-12) == "0.000"
    assert widgets.fmt(-0.5) == "−0.500"
    with pytest.raises(ValueError, match="NaN"):
        widgets.fmt(float("nan"))


def test_each_app_carries_its_kernel_free_explorer():
    """One output, two renderings: the widget view for a kernel, text/html for the website."""
    for name, make in APPS.items():
        bundle = make()._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle, name
        assert 'class="klbook-explorer"' in bundle["text/html"], name
        app = re.search(r'data-app="(\w+)"', bundle["text/html"]).group(1)
        assert name.startswith(app), (name, app)


def test_discrete_app_says_it_rescales():
    box = widgets.discrete_explorer(p=(1, 0.5), q=(0.5, 0.5), labels=("a", "b"))
    text = " ".join(w.value for w in walk(box) if isinstance(w, W.HTML))
    assert "Rescaled" in text and "sum to 1.50 (P) and 1.00 (Q)" in text
    box = widgets.discrete_explorer(p=(0.75, 0.25), q=(0.5, 0.5), labels=("a", "b"))
    assert "Rescaled" not in " ".join(w.value for w in walk(box) if isinstance(w, W.HTML))


def test_import_klbook_does_not_import_ipywidgets():
    code = "import sys, klbook; print('ipywidgets' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
