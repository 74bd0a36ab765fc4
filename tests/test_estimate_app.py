"""The "estimate" app: its state against klbook's estimator and closed forms,
its explorer data against the state, its errors."""

import math

import numpy as np
import pytest

import klbook as kb
from klbook import _apps_estimate as A
from klbook import explorers


def test_true_value_is_the_closed_form_in_the_sampled_direction():
    for mu, sd in [(0.0, 1.0), (0.7, 1.0), (1.3, 0.8), (2.0, 1.2)]:
        st = A.estimate_state(mu, sd, 10, reps=5)
        # D(N(0,1) || N(mu, sd^2)) = log sd + (1 + mu^2) / (2 sd^2) - 1/2: a is sampled.
        exact = math.log(sd) + (1 + mu * mu) / (2 * sd * sd) - 0.5
        assert st.true == pytest.approx(exact, abs=1e-12)
        if mu > 0 and sd != 1.0:
            assert st.true != pytest.approx(kb.kl(st.b, st.a), rel=1e-3)


def test_summaries_are_the_repeated_kl_estimates():
    st = A.estimate_state(0.6, 1.2, 30, reps=50, bins=7, seed=3)
    a, b = kb.Normal(0, 1), kb.Normal(0.6, 1.2)
    for k in A.ESTIMATORS:
        e = kb.kl_estimate(a, b, 50 * 30, rng=3, estimator=k, per_sample=True).reshape(50, 30).mean(axis=1)
        s = st.summaries[k]
        assert s.mean == pytest.approx(e.mean(), rel=1e-13)
        assert s.std == pytest.approx(e.std(ddof=1), rel=1e-12)
        assert s.bias == pytest.approx(e.mean() - st.true, abs=1e-14)
        assert s.rel_std == pytest.approx(e.std(ddof=1) / st.true, rel=1e-12)
        assert sum(s.counts) == 50 and len(s.counts) == 7
        assert np.array_equal(s.counts, np.histogram(e, bins=st.edges)[0])


def test_schulman_mean_shift_facts():
    # a = N(0,1), b = N(1,1): k1 = -(x - 1/2) has std 1 per sample, k2 has mean 0.625.
    st = A.estimate_state(1.0, 1.0, 1000, reps=400)
    s = st.summaries
    assert s["k1"].std == pytest.approx(1 / math.sqrt(1000), rel=0.1)
    assert s["k2"].bias == pytest.approx(0.125, abs=0.01)
    assert abs(s["k1"].bias) < 4 * s["k1"].std / math.sqrt(400)
    assert abs(s["k3"].bias) < 4 * s["k3"].std / math.sqrt(400)
    assert s["k3"].std < s["k1"].std


def test_identical_distributions_give_zero_and_no_ratio():
    st = A.estimate_state(0.0, 1.0, 10, reps=4)
    assert st.true == 0
    for s in st.summaries.values():
        assert s.mean == 0 and s.std == 0 and s.rel_std is None and s.rel_bias is None
        assert sum(s.counts) == 4


def test_spread_falls_like_one_over_root_n():
    s10 = A.lattice_state(0.5, 1.0, 10).summaries["k3"].std
    s1000 = A.lattice_state(0.5, 1.0, 1000).summaries["k3"].std
    assert s10 / s1000 == pytest.approx(10, rel=0.15)


def test_explorer_data_matches_the_state():
    data = explorers.app_data("estimate")
    assert len(data["states"]) == len(A.MUS) * len(A.SDS) * len(A.NS)
    for im, isd, i_n in [(0, 1, 0), (10, 1, 2), (20, 2, 4), (3, 0, 1)]:
        st = A.estimate_state(A.MUS[im], A.SDS[isd], A.NS[i_n])
        row = data["states"][(im * len(A.SDS) + isd) * len(A.NS) + i_n]
        assert row[0] == pytest.approx(st.true, abs=1e-6)
        assert row[1] == pytest.approx(st.edges[0], abs=1e-6)
        assert row[2] == pytest.approx(st.edges[-1], abs=1e-6)
        for (mean, std, counts), k in zip(row[3], A.ESTIMATORS):
            assert mean == pytest.approx(st.summaries[k].mean, abs=1e-6)
            assert std == pytest.approx(st.summaries[k].std, abs=1e-6)
            assert counts == list(st.summaries[k].counts)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mu": float("nan")}, r"^`mu` must be finite with \|mu\| <= 10, got nan$"),
        ({"mu": 11.0}, r"^`mu` must be finite with \|mu\| <= 10, got 11.0$"),
        ({"sd": 0.0}, r"^`sd` must be in \(0, sqrt\(2\)\) \(wider b gives k3 infinite variance\), got 0.0$"),
        ({"sd": 1.5}, r"^`sd` must be in \(0, sqrt\(2\)\) \(wider b gives k3 infinite variance\), got 1.5$"),
        ({"n": 0}, r"^`n` must be an integer >= 1, got 0$"),
        ({"n": 2.5}, r"^`n` must be an integer >= 1, got 2.5$"),
        ({"reps": 1}, r"^`reps` must be an integer >= 2, got 1$"),
        ({"bins": 0}, r"^`bins` must be an integer >= 1, got 0$"),
    ],
)
def test_rejects_bad_arguments(kwargs, message):
    args = {"mu": 0.5, "sd": 1.0, "n": 10, "reps": 5, **kwargs}
    with pytest.raises(ValueError, match=message):
        A.estimate_state(args.pop("mu"), args.pop("sd"), args.pop("n"), **args)



def _live_app(monkeypatch):
    """The live app, its controls by description and its canvas (captured as it is built)."""
    import ipywidgets as W

    from klbook import _widgets_estimate

    made = []

    class Capture(_widgets_estimate._Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(_widgets_estimate, "_Canvas", Capture)
    box = _widgets_estimate.estimate_explorer()
    controls, stack = {}, [box]
    while stack:
        w = stack.pop()
        if isinstance(w, (W.FloatSlider, W.Dropdown)):
            controls[w.description] = w
        stack.extend(getattr(w, "children", ()))
    return controls, made[0]


def _decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


def test_widget_places_data_and_ticks_in_the_states_range(monkeypatch):
    controls, canvas = _live_app(monkeypatch)
    for mu, sd, n in [(1.0, 1.0, 100), (0.1, 0.8, 10), (2.0, 1.2, 1000), (0.0, 1.0, 30)]:
        controls["mean of b, μ"].value, controls["sd of b"].value, controls["samples n"].value = mu, sd, n
        st = A.lattice_state(mu, sd, n)
        lo, hi = st.edges[0], st.edges[-1]
        left = min(lo, st.true) - 0.05 * (hi - lo)
        right = max(hi, st.true) + 0.05 * (hi - lo)
        data = lambda u: left + np.asarray(u) * (right - left)  # noqa: E731  (axes unit -> nats)
        for ax, k in zip(canvas.fig.axes, A.ESTIMATORS):
            assert ax.get_xlim() == (0.0, 1.0)  # fixed, so the cached background is reused
            values, edges = ax.patches[0].get_data()[:2]
            np.testing.assert_allclose(data(edges), st.edges, rtol=1e-12, atol=1e-12)
            np.testing.assert_array_equal(values, np.asarray(st.summaries[k].counts) / st.reps)
            assert data(ax.lines[0].get_xdata()[0]) == pytest.approx(st.true, abs=1e-12)
            labels = [t for t in ax.texts if t.get_visible()]
            assert 2 <= len(labels) <= 7
            for t in labels:
                value = float(t.get_text().replace("\u2212", "-"))
                assert data(t.get_position()[0]) == pytest.approx(value, abs=0.5 * 10.0 ** -_decimals(t.get_text()))
                assert left - 1e-9 <= data(t.get_position()[0]) <= right + 1e-9
    # y-limits 0.5 and 1: at most two full draws, every other update blitted.
    assert len(canvas._backgrounds) <= 2


def test_tick_texts_use_the_spacing_and_a_true_minus():
    from klbook._widgets_estimate import _tick_texts

    assert _tick_texts([-0.5, 0.0, 0.5, 1.0]) == ["\u22120.5", "0.0", "0.5", "1.0"]
    assert _tick_texts([2.5, 5.0, 7.5, 10.0]) == ["2.5", "5.0", "7.5", "10.0"]
    assert _tick_texts([0.02, 0.04, 0.06]) == ["0.02", "0.04", "0.06"]
    assert _tick_texts([0.0, 1.0, 2.0]) == ["0", "1", "2"]
    assert _tick_texts([-1e-17, 0.025, 0.05]) == ["0.000", "0.025", "0.050"]
