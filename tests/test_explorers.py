"""The kernel-free explorers' data: klbook's numbers on each lattice, finite and exact."""

import json
import math
import re

import numpy as np
import pytest

import klbook as kb
from klbook import _apps, explorers

RNG = np.random.default_rng(20261202)


@pytest.fixture(scope="module")
def data():
    return {app: explorers.app_data(app) for app in explorers.APPS}


def finite_numbers(value):
    if isinstance(value, dict):
        return all(finite_numbers(v) for v in value.values())
    if isinstance(value, list):
        return all(finite_numbers(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


def test_every_shipped_number_is_finite(data):
    for app, d in data.items():
        assert finite_numbers(d), app
        json.dumps(d, allow_nan=False)


def test_glance_states_at_sampled_lattice_points(data):
    d = data["glance"]
    for _ in range(6):
        i, j = RNG.integers(len(d["a"])), RNG.integers(len(d["w"]))
        fwd, optima = d["states"][i * len(d["w"]) + j]
        st = _apps.glance_state(d["a"][i], d["w"][j])
        p = st.p
        ref_fwd = kb.fit(p, "normal")
        assert fwd == pytest.approx([ref_fwd.q.mean, ref_fwd.q.sd, kb.kl(p, ref_fwd.q)], abs=2e-6)
        ref = kb.reverse_optima(p)
        assert len(optima) == len(ref)
        for got, r in zip(optima, ref):
            assert got[2] == pytest.approx(kb.kl(r.q, p), abs=2e-6)  # D(Q||P)


def test_forward_fits_of_every_preset(data):
    for preset, (name, comps) in zip(data["forward"]["presets"], explorers.FORWARD_PRESETS):
        p = _apps.target(comps)
        assert preset["name"] == name
        normal = preset["fits"]["normal"]
        assert normal["q"][0] == pytest.approx([1.0, p.mean, p.sd], abs=2e-6)
        q = kb.Normal(p.mean, p.sd)
        assert normal["d"] == pytest.approx(kb.kl(p, q), abs=2e-6)  # D(P||Q)
        for family in ("mixture2", "mixture3"):
            fit = preset["fits"][family]
            qm = kb.Mixture([c[0] for c in fit["q"]], [kb.Normal(c[1], c[2]) for c in fit["q"]],
                            normalize=True)
            assert fit["d"] == pytest.approx(kb.kl(p, qm), abs=1e-5)
            assert fit["d"] <= normal["d"] + 1e-9


def test_reverse_runs_at_sampled_starts(data):
    d = data["reverse"]
    n = len(d["start_means"])
    for preset, (_, comps) in zip(d["presets"], explorers.REVERSE_PRESETS):
        p = _apps.target(comps)
        assert [o[2] for o in preset["optima"]] == sorted(o[2] for o in preset["optima"])
        for _ in range(3):
            k = int(RNG.integers(len(preset["runs"])))
            mus, sds, div, converged, rank = preset["runs"][k]
            start = kb.Normal(d["start_means"][k % n], d["start_sds"][k // n])
            ref = kb.fit(p, "normal", direction="reverse", init=start)
            assert (mus[0], sds[0]) == pytest.approx((start.mean, start.sd), abs=1e-9)
            assert (mus[-1], sds[-1]) == pytest.approx((ref.q.mean, ref.q.sd), abs=2e-6)
            assert div == pytest.approx(kb.kl(ref.q, p), abs=2e-6)  # D(Q||P)
            assert bool(converged) == ref.converged
            if converged and rank >= 0:
                assert preset["optima"][rank][2] == pytest.approx(div, abs=1e-5)
        assert preset["landscape"].startswith("data:image/png;base64,")


def test_phase_states_and_thresholds(data):
    d = data["phase"]
    t = kb.symmetric_reverse_thresholds()
    assert (d["appear"], d["global"]) == pytest.approx((t.appear, t.global_), abs=1e-6)
    for i in RNG.integers(len(d["a"]), size=5):
        optima, regime = d["states"][i]
        ref = _apps.symmetric_optima(d["a"][i])
        assert [o[2] for o in optima] == pytest.approx([r.divergence for r in ref], abs=2e-6)
        assert regime == (0 if d["a"][i] < t.appear else 1 if d["a"][i] < t.global_ else 2)


def test_placeholder_carries_its_config_safely():
    html = explorers.placeholder("discrete", p=[0.5, 0.5], q=[1, 0], labels=["<a>", "b\"c"])
    config = json.loads(re.search(r'data-config="([^"]*)"', html).group(1)
                        .replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    assert config["labels"] == ["<a>", 'b"c'] and config["title"] == explorers.TITLES["discrete"]
    assert config["styles"]["reverse"]["colour"] == "vermillion"
    with pytest.raises(ValueError, match=r"`app` must be one of glance, forward, reverse, phase, .*discrete.*, got 'x'"):
        explorers.placeholder("x")


def test_write_assets_uses_the_cache(tmp_path):
    out = explorers.write_assets(tmp_path / "site", cache=tmp_path / "cache")
    names = sorted(p.name for p in (out / "explorers").iterdir())
    assert names == sorted(f"{a}.js" for a in explorers.APPS)
    text = (out / "explorers" / "phase.js").read_text()
    assert text.startswith('(window.KLBOOK_EXPLORERS = window.KLBOOK_EXPLORERS || {})["phase"] = {')
    cached = sorted((tmp_path / "cache").iterdir())
    assert len(cached) == len(explorers.APPS)
    for f in cached:  # a second write reads these, not klbook
        f.write_text(f.read_text().replace('"app":', '"app" :'))
    explorers.write_assets(tmp_path / "again", cache=tmp_path / "cache")
    assert '"app" :' in (tmp_path / "again" / "explorers" / "phase.js").read_text()


def test_words_of_the_data_that_pages_show_are_registered(data):
    """The script translates these (t(p.name), ...): each is in explorers.DATA_LABELS,
    hence a key of every label table (tests/test_explorer_labels.py)."""
    shown = {
        "forward": [p["name"] for p in data["forward"]["presets"]] + [f[0] for f in data["forward"]["families"]],
        "reverse": [p["name"] for p in data["reverse"]["presets"]],
        "alpha": data["alpha"]["regimes"],
        "rlhf": data["rlhf"]["presets"],
    }
    for app, words in shown.items():
        assert set(words) <= set(explorers.DATA_LABELS[app]), app
